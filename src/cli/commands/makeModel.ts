import { resolve } from "node:path";
import { MODEL_SHAPES, writeModelFile, type FimFamily, type ModelShape } from "../../gguf/index";
import { UsageError } from "../usage";

const FAMILIES: readonly FimFamily[] = ["qwen", "starcoder", "deepseek", "codellama", "codestral", "none"];

export async function makeModel(flags: { shape?: string; out?: string; seed?: string; family?: string }): Promise<void> {
  const shape = flags.shape as ModelShape | undefined;
  if (!shape || !MODEL_SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${MODEL_SHAPES.join(", ")}.`);
  if (!flags.out) throw new UsageError("--out FILE is required.");
  const family = (flags.family ?? "qwen") as FimFamily;
  if (!FAMILIES.includes(family)) throw new UsageError(`--family must be one of ${FAMILIES.join(", ")}.`);
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isInteger(seed)) throw new UsageError("--seed must be an integer.");
  const started = performance.now();
  const { bytes } = await writeModelFile(resolve(flags.out), shape, { seed, family });
  process.stderr.write(`wrote ${flags.out}: ${shape}, ${(bytes / 1048576).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
