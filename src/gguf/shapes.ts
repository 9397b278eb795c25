// Hyper-parameters of the generated models. The realistic shapes are Qwen2.5-Coder-0.5B and -1.5B's own.

export type ModelShape = "tiny" | "qwen2.5-coder-0.5b" | "qwen2.5-coder-1.5b";
export const MODEL_SHAPES: readonly ModelShape[] = ["tiny", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"];

export interface ShapeParams {
  architecture: "llama" | "qwen2";
  name: string;
  contextLength: number;
  embedding: number;
  blocks: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  ropeTheta: number;
  rmsEpsilon: number;
  /** q/k/v projections carry biases (Qwen2). */
  qkvBias: boolean;
  /** The output projection is the token embedding (no output.weight). */
  tiedEmbeddings: boolean;
  quantized: boolean;
}

export const SHAPES: Record<ModelShape, ShapeParams> = {
  tiny: {
    architecture: "llama",
    name: "Freehold tiny test model",
    contextLength: 4096,
    embedding: 64,
    blocks: 2,
    feedForward: 128,
    heads: 4,
    kvHeads: 2,
    ropeTheta: 10000,
    rmsEpsilon: 1e-5,
    qkvBias: false,
    tiedEmbeddings: false,
    quantized: false,
  },
  "qwen2.5-coder-0.5b": {
    architecture: "qwen2",
    name: "Qwen2.5-Coder-0.5B shape (random weights)",
    contextLength: 32768,
    embedding: 896,
    blocks: 24,
    feedForward: 4864,
    heads: 14,
    kvHeads: 2,
    ropeTheta: 1_000_000,
    rmsEpsilon: 1e-6,
    qkvBias: true,
    tiedEmbeddings: true,
    quantized: true,
  },
  "qwen2.5-coder-1.5b": {
    architecture: "qwen2",
    name: "Qwen2.5-Coder-1.5B shape (random weights)",
    contextLength: 32768,
    embedding: 1536,
    blocks: 28,
    feedForward: 8960,
    heads: 12,
    kvHeads: 2,
    ropeTheta: 1_000_000,
    rmsEpsilon: 1e-6,
    qkvBias: true,
    tiedEmbeddings: true,
    quantized: true,
  },
};
