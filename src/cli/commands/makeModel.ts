import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { FIM_FAMILIES, MODEL_SHAPES, writeModelFile, writeScriptedModelFile, type FimFamily, type ModelShape } from "../../gguf/index";
import { UsageError } from "../usage";

export async function makeModel(flags: { shape?: string; out?: string; seed?: string; family?: string; script?: string }): Promise<void> {
  if (!flags.out) throw new UsageError("--out FILE is required.");
  const family = (flags.family ?? "qwen") as FimFamily;
  if (!FIM_FAMILIES.includes(family)) throw new UsageError(`--family must be one of ${FIM_FAMILIES.join(", ")}.`);
  const started = performance.now();
  const done = (bytes: number, what: string) =>
    process.stderr.write(`wrote ${flags.out}: ${what}, ${(bytes / 1048576).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  if (flags.script !== undefined) {
    if (flags.shape !== undefined || flags.seed !== undefined) throw new UsageError("--script makes its own model: leave out --shape and --seed.");
    let script: string;
    try {
      script = await readFile(resolve(flags.script), "utf8");
    } catch (error) {
      throw new UsageError(`Cannot read the script ${flags.script}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
    let bytes: number;
    try {
      ({ bytes } = await writeScriptedModelFile(resolve(flags.out), script, { family }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    done(bytes, `scripted (${family}), ${script.length} characters`);
    return;
  }

  const shape = flags.shape as ModelShape | undefined;
  if (!shape || !MODEL_SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${MODEL_SHAPES.join(", ")} (or --script FILE).`);
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isInteger(seed)) throw new UsageError("--seed must be an integer.");
  const { bytes } = await writeModelFile(resolve(flags.out), shape, { seed, family });
  done(bytes, shape);
}
