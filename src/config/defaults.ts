// Every default of Freehold in one typed object; the VS Code settings and the CLI flags override these.
export const DEFAULTS = {
  model: {
    contextSize: 4096,
    gpuLayers: "auto" as number | "auto",
  },
  completion: {
    maxTokens: 64,
    timeLimitMs: 10_000,
    /** Characters of the file before and after the cursor handed to the model (until the context engine budgets tokens). */
    prefixChars: 6000,
    suffixChars: 1500,
  },
  chat: {
    maxTokens: 1024,
    timeLimitMs: 120_000,
  },
} as const;
