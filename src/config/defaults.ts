// Every default of Freehold in one typed object; the VS Code settings and the CLI flags override these.
export const DEFAULTS = {
  model: {
    contextSize: 4096,
    gpuLayers: "auto" as number | "auto",
  },
  completion: {
    multiline: "auto" as "auto" | "always" | "never",
    /** Generation caps per suggestion: one line, or a block. */
    maxTokensSingle: 24,
    maxTokensMulti: 128,
    timeLimitMs: 10_000,
  },
  /** The code-context engine (src/context). */
  context: {
    /**
     * The prompt's parts at most, in tokens: on a CPU a cold prompt costs seconds per thousand tokens, so a
     * larger model context does not grow them; a smaller one scales them down (see context/budget.ts).
     */
    prefixTokens: 1500,
    suffixTokens: 300,
    snippetTokens: 600,
    /** Tokens the prompt template itself takes (special tokens, repo name, file path). */
    templateTokens: 48,
    /** Characters of the cursor's line kept on each side of the cursor when the line is longer (minified code). */
    maxCursorLineChars: 1000,
    /** Identifiers on these many lines before / after the cursor count as used near it. */
    nearLinesBefore: 30,
    nearLinesAfter: 10,
    /** Other open documents: windows of this many lines compared, kept from this score, at most this many. */
    similarWindowLines: 16,
    similarMinScore: 0.15,
    similarMax: 3,
    maxOpenDocumentChars: 300_000,
    /** Recently edited and viewed chunks kept by the editor. */
    recentChunks: 16,
    /** Workspace files larger than this are not read for context. */
    maxFileBytes: 1024 * 1024,
  },
  chat: {
    maxTokens: 1024,
    timeLimitMs: 120_000,
  },
} as const;
