// What a GGUF file is, read from its header (never from its name): architecture, parameters, quantisation,
// context length, FIM tokens, chat template. A file that is not a whole GGUF model gets a one-line reason.
import type { GgufFileInfo } from "node-llama-cpp";
import { inspectGgufFile } from "./ggufFile";
import { detectFamily, FAMILY_PROBE_TOKENS } from "./fimFamilies";

export interface ModelFacts {
  architecture: string;
  /** general.name, when the file has one. */
  displayName?: string;
  /** Sum of all tensors' elements. */
  parameterCount: number;
  /** general.size_label, or one derived from parameterCount ("1.5B"). */
  sizeLabel: string;
  /** The file type (quantisation) name, e.g. "Q8_0", "Q4_K_M", "F16"; "unknown" when the header has none. */
  quantization: string;
  sizeBytes: number;
  /** The context length the model was trained for. */
  contextLength?: number;
  layers?: number;
  /** The model can fill in the middle (FIM tokens in its GGUF keys or its vocabulary). */
  fim: boolean;
  /** The prompt family of its FIM tokens ("qwen", "starcoder", …, "generic", "none"). */
  fimFamily: string;
  chatTemplate: boolean;
}

export type Identified = { ok: true; facts: ModelFacts } | { ok: false; reason: string };

/** Reads the file's header and says what model it holds, or why it cannot be used. */
export async function identifyModelFile(path: string): Promise<Identified> {
  try {
    const check = await inspectGgufFile(path);
    return { ok: true, facts: factsOf(check.info, check.sizeBytes) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function factsOf(info: GgufFileInfo, sizeBytes: number): ModelFacts {
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = (metadata.general ?? {}) as Record<string, unknown>;
  const architecture = String(general.architecture ?? "unknown");
  const archMeta = (info.architectureMetadata ?? {}) as Record<string, unknown>;
  const tokenizer = (metadata.tokenizer ?? {}) as Record<string, unknown>;
  const ggml = (tokenizer.ggml ?? {}) as Record<string, unknown>;

  let parameterCount = 0;
  for (const tensor of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    parameterCount += tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
  }

  const tokens = Array.isArray(ggml.tokens) ? (ggml.tokens as unknown[]) : [];
  const vocabulary = new Set(tokens.filter((t): t is string => typeof t === "string"));
  const tokenText = (key: string) => {
    const id = ggml[key];
    return typeof id === "number" && typeof tokens[id] === "string" ? (tokens[id] as string) : undefined;
  };
  const fimTokens = { prefix: tokenText("fim_pre_token_id"), suffix: tokenText("fim_suf_token_id"), middle: tokenText("fim_mid_token_id") };
  const family = detectFamily({ fimTokens, specialTokens: FAMILY_PROBE_TOKENS.filter((t) => vocabulary.has(t)) }).family;
  const fimKeys = fimTokens.prefix !== undefined && fimTokens.suffix !== undefined && fimTokens.middle !== undefined;

  return {
    architecture,
    displayName: typeof general.name === "string" ? general.name : undefined,
    parameterCount,
    sizeLabel: typeof general.size_label === "string" && general.size_label ? general.size_label : sizeLabelOf(parameterCount),
    quantization: fileTypeName(general.file_type),
    sizeBytes,
    contextLength: typeof archMeta.context_length === "number" ? archMeta.context_length : undefined,
    layers: typeof archMeta.block_count === "number" ? archMeta.block_count : undefined,
    fim: fimKeys || family !== "none",
    fimFamily: family,
    chatTemplate: typeof tokenizer.chat_template === "string" && tokenizer.chat_template.length > 0,
  };
}

/** llama.cpp's `general.file_type` values (enum llama_ftype) by name. */
const FILE_TYPES: Record<number, string> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M",
  13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
  21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
  29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
};

export function fileTypeName(fileType: unknown): string {
  return typeof fileType === "number" ? (FILE_TYPES[fileType] ?? `type ${fileType}`) : "unknown";
}

export function sizeLabelOf(parameters: number): string {
  if (parameters >= 1e9) return `${trim(parameters / 1e9)}B`;
  if (parameters >= 1e6) return `${trim(parameters / 1e6)}M`;
  if (parameters >= 1e3) return `${trim(parameters / 1e3)}K`;
  return String(parameters);
}

function trim(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
