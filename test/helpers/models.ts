// Generated models for tests, made once per checkout into .freehold-test/models (git-ignored).
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeModelFile, type MakeModelOptions, type ModelShape } from "../../src/gguf/index";

const MODEL_DIR = resolve(__dirname, "..", "..", ".freehold-test", "models");

async function ensure(name: string, shape: ModelShape, options: MakeModelOptions): Promise<string> {
  await mkdir(MODEL_DIR, { recursive: true });
  const path = join(MODEL_DIR, name);
  // The writer renames a complete temp file into place, so an existing file is whole.
  if (!existsSync(path)) await writeModelFile(path, shape, options);
  return path;
}

export function tinyModelPath(options: MakeModelOptions = {}): Promise<string> {
  const family = options.family ?? "qwen";
  const seed = options.seed ?? 1;
  return ensure(`tiny-${family}-${seed}.gguf`, "tiny", { family, seed });
}

export function realisticModelPath(shape: Exclude<ModelShape, "tiny">): Promise<string> {
  return ensure(`${shape}-q8_0.gguf`, shape, { seed: 1 });
}
