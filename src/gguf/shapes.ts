// Hyper-parameters of the generated models. The realistic shapes are Qwen2.5-Coder-0.5B's and -1.5B's own
// (their config.json: hidden size, layers, heads, KV heads, FFN size, rope theta, RMS epsilon, tied embeddings).

export type ModelShape = "tiny" | "qwen2.5-coder-0.5b" | "qwen2.5-coder-1.5b";
export const MODEL_SHAPES: readonly ModelShape[] = ["tiny", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"];

export interface ShapeParams {
  architecture: "llama" | "qwen2";
  name: string;
  /** general.size_label */
  sizeLabel: string;
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
  /** Weight matrices in Q8_0 (norms and biases stay F32); otherwise F16. */
  quantized: boolean;
}

export const SHAPES: Readonly<Record<ModelShape, ShapeParams>> = {
  tiny: {
    architecture: "llama",
    name: "Freehold tiny test model",
    sizeLabel: "tiny",
    contextLength: 4096,
    embedding: 64,
    blocks: 2,
    feedForward: 128,
    heads: 4,
    kvHeads: 2,
    ropeTheta: 10_000,
    rmsEpsilon: 1e-5,
    qkvBias: false,
    tiedEmbeddings: false,
    quantized: false,
  },
  "qwen2.5-coder-0.5b": {
    architecture: "qwen2",
    name: "Qwen2.5-Coder-0.5B shape (Freehold, random weights)",
    sizeLabel: "0.5B",
    contextLength: 32_768,
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
    name: "Qwen2.5-Coder-1.5B shape (Freehold, random weights)",
    sizeLabel: "1.5B",
    contextLength: 32_768,
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
