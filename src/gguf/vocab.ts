// What a generated vocabulary is, and which FIM special tokens each model family carries (DESIGN §2).

/** llama.cpp's token types (tokenizer.ggml.token_type). */
export enum TokenType {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
}

export type FimFamily = "qwen" | "starcoder" | "deepseek" | "codellama" | "codestral" | "none";
export const FIM_FAMILIES: readonly FimFamily[] = ["qwen", "starcoder", "deepseek", "codellama", "codestral", "none"];

export interface Vocabulary {
  /** tokenizer.ggml.model: "llama" is SentencePiece-style, "gpt2" byte-level BPE. */
  model: "llama" | "gpt2";
  /** tokenizer.ggml.pre (BPE pre-tokenizer). */
  pre?: string;
  tokens: string[];
  scores?: Float32Array;
  types: Int32Array;
  /** Byte-level BPE merges, "left right", best first. */
  merges?: string[];
  addBos: boolean;
  /** tokenizer.ggml.<key> → token id: bos_token_id, eos_token_id, fim_pre_token_id, … */
  specialIds: Record<string, number>;
  chatTemplate: string;
  /** Token ids whose output-projection rows are zero, so greedy decoding of random weights yields plain text. */
  silentIds: number[];
}

export interface FamilyTokens {
  /** [prefix, suffix, middle] texts, or none for a chat-only model. */
  fim?: readonly [prefix: string, suffix: string, middle: string];
  /** More special tokens of the family, with the GGUF key that names them (if any). */
  extra: ReadonlyArray<readonly [key: string | undefined, text: string]>;
}

export const FAMILY_TOKENS: Readonly<Record<FimFamily, FamilyTokens>> = {
  qwen: {
    fim: ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"],
    extra: [
      ["fim_pad_token_id", "<|fim_pad|>"],
      ["fim_rep_token_id", "<|repo_name|>"],
      ["fim_sep_token_id", "<|file_sep|>"],
      [undefined, "<|endoftext|>"],
    ],
  },
  starcoder: {
    fim: ["<fim_prefix>", "<fim_suffix>", "<fim_middle>"],
    extra: [
      ["fim_pad_token_id", "<fim_pad>"],
      ["fim_rep_token_id", "<repo_name>"],
      ["fim_sep_token_id", "<file_sep>"],
    ],
  },
  // U+FF5C full-width bars and U+2581 "▁", as in DeepSeek-Coder's vocabulary.
  deepseek: { fim: ["<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"], extra: [] },
  // CodeLlama's SentencePiece vocabulary spells them with a leading "▁" (ids 32007–32010 in the real model);
  // llama.cpp knows both "<PRE>" and "▁<PRE>", and "▁<EOT>" as the end of an infill.
  codellama: { fim: ["▁<PRE>", "▁<SUF>", "▁<MID>"], extra: [["eot_token_id", "▁<EOT>"]] },
  codestral: { fim: ["[PREFIX]", "[SUFFIX]", "[MIDDLE]"], extra: [] },
  none: { extra: [] },
};
