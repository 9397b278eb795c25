// Fill-in-the-middle prompt forms per model family (DESIGN §2). The family is read from the special
// tokens the model's own vocabulary carries, never guessed from the file name.

export type FimFamily = "qwen" | "starcoder" | "deepseek" | "codellama" | "codestral" | "generic" | "none";

export interface FamilyTokens {
  prefix: string;
  suffix: string;
  middle: string;
  /** Repo-level form: repository name and file separator tokens. */
  repoName?: string;
  fileSep?: string;
  /** Suffix-first order (Codestral). */
  suffixFirst?: boolean;
  /** CodeLlama puts a space between its tokens and the text. */
  spaced?: boolean;
  /** Tokens that end a completion besides the model's end-of-generation tokens. */
  stops: string[];
}

const FAMILIES: Record<Exclude<FimFamily, "generic" | "none">, FamilyTokens> = {
  qwen: {
    prefix: "<|fim_prefix|>",
    suffix: "<|fim_suffix|>",
    middle: "<|fim_middle|>",
    repoName: "<|repo_name|>",
    fileSep: "<|file_sep|>",
    stops: ["<|endoftext|>", "<|file_sep|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|fim_pad|>", "<|repo_name|>", "<|im_end|>"],
  },
  starcoder: {
    prefix: "<fim_prefix>",
    suffix: "<fim_suffix>",
    middle: "<fim_middle>",
    repoName: "<repo_name>",
    fileSep: "<file_sep>",
    stops: ["<|endoftext|>", "<file_sep>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<fim_pad>", "<repo_name>"],
  },
  deepseek: {
    prefix: "<｜fim▁begin｜>",
    suffix: "<｜fim▁hole｜>",
    middle: "<｜fim▁end｜>",
    stops: ["<｜end▁of▁sentence｜>", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>", "<|EOT|>"],
  },
  codellama: {
    prefix: "▁<PRE>",
    suffix: "▁<SUF>",
    middle: "▁<MID>",
    spaced: true,
    stops: ["▁<EOT>", "<EOT>", "▁<PRE>", "▁<SUF>", "▁<MID>"],
  },
  codestral: {
    prefix: "[PREFIX]",
    suffix: "[SUFFIX]",
    middle: "[MIDDLE]",
    suffixFirst: true,
    stops: ["[PREFIX]", "[SUFFIX]", "[MIDDLE]", "</s>"],
  },
};

/** Every special-token text the worker should look for in a model's vocabulary. */
export const FAMILY_PROBE_TOKENS: readonly string[] = [
  ...new Set(Object.values(FAMILIES).flatMap((f) => [f.prefix, f.suffix, f.middle, f.repoName, f.fileSep].filter((t): t is string => !!t))),
];

export interface ModelFimFacts {
  /** The model's own FIM prefix/suffix/middle token texts (from its GGUF keys), if any. */
  fimTokens: { prefix?: string; suffix?: string; middle?: string };
  /** Which of FAMILY_PROBE_TOKENS the vocabulary has as special tokens. */
  specialTokens: readonly string[];
}

/** The family whose tokens the model carries; "generic" when it has FIM tokens of an unknown form; "none" without FIM. */
export function detectFamily(model: ModelFimFacts): { family: FimFamily; tokens?: FamilyTokens } {
  const has = new Set(model.specialTokens);
  for (const [name, tokens] of Object.entries(FAMILIES) as Array<[Exclude<FimFamily, "generic" | "none">, FamilyTokens]>) {
    if (has.has(tokens.prefix) && has.has(tokens.suffix) && has.has(tokens.middle)) {
      const repoLevel = tokens.repoName && tokens.fileSep && has.has(tokens.repoName) && has.has(tokens.fileSep);
      return { family: name, tokens: repoLevel ? tokens : { ...tokens, repoName: undefined, fileSep: undefined } };
    }
  }
  const { prefix, suffix, middle } = model.fimTokens;
  if (prefix && suffix && middle) return { family: "generic", tokens: { prefix, suffix, middle, stops: [prefix, suffix, middle] } };
  return { family: "none" };
}
