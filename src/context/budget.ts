// How many tokens of the prompt go to the prefix, the suffix and the snippets, from the model's context size
// and the output cap: what the context holds minus the output and the template, split in the default
// proportions and never above the defaults (the defaults are sized for a CPU's prompt speed, not the context).
import { DEFAULTS } from "../config/defaults";

export interface ContextBudget {
  /** The lines before the cursor, the cursor's line up to the cursor included. */
  prefixTokens: number;
  /** The rest of the cursor's line and the lines after it. */
  suffixTokens: number;
  /** All snippets together (imported definitions, scopes, recent and similar code). */
  snippetTokens: number;
}

export interface BudgetLimits {
  /** The model context's size in tokens. */
  contextSize: number;
  /** The most tokens one completion may generate. */
  maxOutputTokens: number;
  /** A cap on the whole prompt (e.g. a short first prompt sized from the measured prompt speed). */
  maxPromptTokens?: number;
}

/** The smallest prefix kept however small the context: without some code before the cursor nothing useful comes. */
const MIN_PREFIX_TOKENS = 16;

export function contextBudget(limits: BudgetLimits): ContextBudget {
  const { prefixTokens, suffixTokens, snippetTokens, templateTokens } = DEFAULTS.context;
  const full = prefixTokens + suffixTokens + snippetTokens;
  const room = Math.min(full, limits.maxPromptTokens ?? full, limits.contextSize - limits.maxOutputTokens - templateTokens);
  if (room >= full) return { prefixTokens, suffixTokens, snippetTokens };
  const scale = Math.max(0, room) / full;
  const suffix = Math.floor(suffixTokens * scale);
  const snippets = Math.floor(snippetTokens * scale);
  return { prefixTokens: Math.max(MIN_PREFIX_TOKENS, Math.max(0, room) - suffix - snippets), suffixTokens: suffix, snippetTokens: snippets };
}
