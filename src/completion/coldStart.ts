// The first keystroke where the KV cache holds nothing useful (a file just opened, a far jump, a restart):
// answer from a short prompt around the cursor, sized to what this machine evaluates in a fraction of a
// second, and evaluate the full context in the background for the keystrokes after it (DESIGN §2 step 10).
// The sizing lives here, apart from the context engine's budgets, so the two can change independently.
import type { RequestStats } from "../engine/protocol";
import type { CompletionContext } from "./pipeline";

/** Prompt evaluation time the short prompt aims at; the rest of the first-ghost-text target goes to generation. */
export const SHORT_PROMPT_SECONDS = 0.6;
/** Until a request has been measured: about what a 1.5B model evaluates per second on two CPU cores. */
const DEFAULT_PROMPT_TOKENS_PER_SECOND = 120;

/** Prompt evaluation speed measured on this machine (a moving average over requests that evaluated enough to tell). */
export class PromptSpeed {
  tokensPerSecond = DEFAULT_PROMPT_TOKENS_PER_SECOND;
  private measured = false;

  observe(stats: RequestStats, evaluateOnly = false): void {
    const ms = evaluateOnly ? stats.totalMs : stats.ttftMs;
    if (stats.evaluatedTokens < 64 || ms <= 0) return;
    const speed = stats.evaluatedTokens / (ms / 1000);
    this.tokensPerSecond = this.measured ? this.tokensPerSecond + 0.3 * (speed - this.tokensPerSecond) : speed;
    this.measured = true;
  }
}

export interface ShortPromptBudget {
  prefixTokens: number;
  suffixTokens: number;
}

/** What this machine evaluates in SHORT_PROMPT_SECONDS, split between the text before and after the cursor. */
export function shortPromptBudget(tokensPerSecond: number, seconds = SHORT_PROMPT_SECONDS): ShortPromptBudget {
  const total = Math.max(48, Math.min(768, Math.round(tokensPerSecond * seconds)));
  const suffixTokens = Math.round(total * 0.2);
  return { prefixTokens: total - suffixTokens, suffixTokens };
}

/** The context cut to the budget: the last whole lines of the prefix, the first lines of the suffix, no snippets. */
export function shortContext(context: CompletionContext, budget: ShortPromptBudget, countTokens: (text: string) => number): CompletionContext {
  return {
    ...context,
    prefix: lastLines(context.prefix, budget.prefixTokens - countTokens(context.linePrefix), countTokens),
    suffix: firstLines(context.suffix, budget.suffixTokens, countTokens),
    snippets: [],
    notes: [...(context.notes ?? []), "cold start: a short prompt around the cursor while the full context is evaluated in the background"],
  };
}

function lastLines(text: string, tokens: number, countTokens: (text: string) => number): string {
  const lines = text.split("\n");
  let kept = 0;
  let used = 0;
  // `text` ends with "\n", so its last element is "": walk back over whole lines.
  for (let i = lines.length - 2; i >= 0; i--) {
    used += countTokens(lines[i]) + 1;
    if (used > tokens) break;
    kept++;
  }
  return kept === 0 ? "" : lines.slice(lines.length - 1 - kept).join("\n");
}

function firstLines(text: string, tokens: number, countTokens: (text: string) => number): string {
  const lines = text.split("\n");
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    used += countTokens(line) + 1;
    if (used > tokens && kept > 0) break;
    kept++;
  }
  return lines.slice(0, kept).join("\n");
}

/** Length of the common start of two strings. */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
