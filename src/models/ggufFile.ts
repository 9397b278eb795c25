// Checks that a path is a whole GGUF file before anything hands it to llama.cpp:
// a missing file, a folder, a non-GGUF file or a truncated download gets a clear message here.
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { GgufFileInfo } from "node-llama-cpp";
import { EngineError } from "../engine/protocol";

/** Bytes per block and elements per block of the ggml types the check knows; others are checked by offset only. */
const GGML_BLOCKS: Record<number, [elements: number, bytes: number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  30: [1, 2], // BF16
};

export interface GgufCheck {
  sizeBytes: number;
  /** The bytes the header says the file needs; 0 when no tensor could be measured. */
  requiredBytes: number;
  /** The parsed header (metadata and tensor infos). */
  info: GgufFileInfo;
}

/** Throws an EngineError with a one-line reason when `path` is not a complete GGUF file. */
export async function checkGgufFile(path: string): Promise<number> {
  return (await inspectGgufFile(path)).sizeBytes;
}

export async function inspectGgufFile(path: string): Promise<GgufCheck> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new EngineError("model-load-failed", `Model file not found: ${path}`);
  }
  if (info.isDirectory()) throw new EngineError("model-load-failed", `${path} is a folder, not a GGUF model file.`);
  if (!info.isFile()) throw new EngineError("model-load-failed", `${path} is not a regular file.`);

  const magic = Buffer.alloc(4);
  const handle = await open(path, "r");
  try {
    await handle.read(magic, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (magic.toString("latin1") !== "GGUF") {
    throw new EngineError("model-load-failed", `${name} is not a GGUF model file (it does not start with "GGUF").`);
  }

  const { readGgufFileInfo } = await import("node-llama-cpp");
  let parsed;
  try {
    parsed = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    throw new EngineError("model-load-failed", `${name} has a damaged or truncated GGUF header (${error instanceof Error ? error.message : String(error)}).`);
  }
  let requiredBytes = 0;
  for (const tensor of parsed.fullTensorInfo ?? parsed.tensorInfo ?? []) {
    const start = Number(tensor.fileOffset);
    const block = GGML_BLOCKS[tensor.ggmlType as number];
    const elements = tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    const end = block ? start + Math.ceil(elements / block[0]) * block[1] : start + 1;
    if (end > requiredBytes) requiredBytes = end;
  }
  if (requiredBytes > info.size) {
    throw new EngineError(
      "model-load-failed",
      `${name} is truncated: its header needs ${requiredBytes} bytes but the file has ${info.size} (an interrupted download?).`,
    );
  }
  return { sizeBytes: info.size, requiredBytes, info: parsed };
}
