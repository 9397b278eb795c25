// The project's own GGUF models (DESIGN §7): a tiny llama model with its own SentencePiece-style vocabulary
// and FIM tokens per family, and Qwen2.5-Coder 0.5B / 1.5B shapes in Q8_0. Seeded: the same options give a
// byte-identical file. No `vscode` here: the CLI, the tests and the benchmark use it in plain Node.
import { planModel } from "./model";
import { MODEL_SHAPES, type ModelShape } from "./shapes";
import { FIM_FAMILIES, type FimFamily } from "./vocab";
import { layoutGguf, writeGguf, type GgufPlan } from "./writer";

import { planScriptedModel, type ScriptedModelOptions } from "./scripted";

export { MODEL_SHAPES, type ModelShape } from "./shapes";
export { planScriptedModel, scriptPieces, type ScriptedModelOptions } from "./scripted";
export { FIM_FAMILIES, type FimFamily } from "./vocab";
export type { GgufPlan, TensorSpec, MetadataValue } from "./writer";

export interface MakeModelOptions {
  /** Any integer; default 1. */
  seed?: number;
  /** Which FIM special tokens the tiny model's vocabulary carries; default "qwen". The Qwen shapes are always "qwen". */
  family?: FimFamily;
}

function resolve(shape: ModelShape, options: MakeModelOptions): { seed: number; family: FimFamily } {
  if (!MODEL_SHAPES.includes(shape)) throw new Error(`Unknown model shape ${JSON.stringify(shape)}; one of ${MODEL_SHAPES.join(", ")}`);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new Error(`The seed must be an integer, got ${seed}`);
  const family = options.family ?? "qwen";
  if (!FIM_FAMILIES.includes(family)) throw new Error(`Unknown FIM family ${JSON.stringify(family)}; one of ${FIM_FAMILIES.join(", ")}`);
  if (shape !== "tiny" && family !== "qwen") throw new Error(`The ${shape} shape has Qwen's vocabulary; a FIM family other than "qwen" applies to tiny only`);
  return { seed, family };
}

/** What the file will hold (metadata and tensors with their fills), without producing any tensor data. */
export function modelPlan(shape: ModelShape, options: MakeModelOptions = {}): GgufPlan {
  const { seed, family } = resolve(shape, options);
  return planModel(shape, seed, family);
}

/** The file's size and its first bytes (header, metadata, tensor infos), e.g. to check a cached copy. */
export function modelFileLayout(shape: ModelShape, options: MakeModelOptions = {}): { bytes: number; header: Buffer } {
  const layout = layoutGguf(modelPlan(shape, options));
  return { bytes: layout.totalBytes, header: layout.header };
}

/** Writes the model to outPath (via a temp file + rename); returns bytes written. */
export async function writeModelFile(outPath: string, shape: ModelShape, options: MakeModelOptions = {}): Promise<{ bytes: number }> {
  const bytes = await writeGguf(outPath, modelPlan(shape, options));
  return { bytes };
}

/** Writes a scripted model (see scripted.ts): whatever the prompt, its greedy output is `script`. */
export async function writeScriptedModelFile(outPath: string, script: string, options: ScriptedModelOptions = {}): Promise<{ bytes: number }> {
  const family = options.family ?? "qwen";
  if (!FIM_FAMILIES.includes(family)) throw new Error(`Unknown FIM family ${JSON.stringify(family)}; one of ${FIM_FAMILIES.join(", ")}`);
  const bytes = await writeGguf(outPath, planScriptedModel(script, { family }));
  return { bytes };
}

/** A scripted model file's size and first bytes, e.g. to check a cached copy. */
export function scriptedModelFileLayout(script: string, options: ScriptedModelOptions = {}): { bytes: number; header: Buffer } {
  const layout = layoutGguf(planScriptedModel(script, options));
  return { bytes: layout.totalBytes, header: layout.header };
}
