// The first keystroke where the KV cache holds nothing useful (a file just opened, a far jump, a restart):
// answer from a short prompt around the cursor, sized to what this machine evaluates in a fraction of a
// second, and evaluate the full context in the background for the keystrokes after it (DESIGN §2 step 10).
// The sizing lives here, apart from the context engine's budgets, so the two can change independently.
import type { RequestStats } from "../engine/protocol";
import type { CompletionContext, DocumentPosition } from "./pipeline";
import { estimateTokens } from "../context/tokens";

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

/**
 * Sizes and places the short prompts of one pipeline so that a place's short prompt stays the same from one
 * request to the next (then the KV cache holds it: a warm-up's, or the keystroke before's).
 */
export class ShortPrompts {
  private sized: { rate: number; budget: ShortPromptBudget } | undefined;
  private anchor: { key: string; offset: number; budget: ShortPromptBudget } | undefined;

  /**
   * The budget in estimated tokens (context/tokens.ts), kept while the measured speed, in estimated tokens per
   * second, stays within a quarter of the one it was sized at: each request refines the speed and the tokenizer's
   * scale a little, and a budget that followed them would cut the prompt at another line each time.
   */
  budget(tokensPerSecond: number, tokenScale: number): ShortPromptBudget {
    const rate = tokensPerSecond / Math.max(0.01, tokenScale);
    if (!this.sized || Math.abs(rate / this.sized.rate - 1) > 0.25) this.sized = { rate, budget: shortPromptBudget(rate) };
    return this.sized.budget;
  }

  /**
   * The short context at this position. While the cursor stays near the place of this document's last short
   * prompt (the lines from its start to the cursor's line between half and one and a half times the budget it
   * was cut with), the prefix starts where that one started and keeps its budget: typing on, or moving down a
   * line or a few (Enter after a warm-up), keeps the prompt's start, so only what follows it is evaluated.
   */
  cut(position: DocumentPosition, context: CompletionContext, budget: ShortPromptBudget): CompletionContext {
    const lineStart = position.text.lastIndexOf("\n", position.offset - 1) + 1;
    const anchor = this.anchor;
    if (anchor && anchor.key === position.key && anchor.offset <= lineStart) {
      const fromAnchor = position.text.slice(anchor.offset, lineStart);
      const size = estimateTokens(fromAnchor);
      if (context.prefix.endsWith(fromAnchor) && size >= anchor.budget.prefixTokens * 0.5 && size <= anchor.budget.prefixTokens * 1.5) {
        return shortContext(context, anchor.budget, estimateTokens, fromAnchor);
      }
    }
    const short = shortContext(context, budget, estimateTokens);
    // Only a prefix that is the document's text just before the cursor's line can anchor the next one.
    if (position.text.slice(lineStart - short.prefix.length, lineStart) === short.prefix) this.anchor = { key: position.key, offset: lineStart - short.prefix.length, budget };
    return short;
  }
}

/**
 * The context cut to the budget: the last whole lines of the prefix (or `prefix`, when the caller has chosen it),
 * the first lines of the suffix, no snippets.
 */
export function shortContext(
  context: CompletionContext,
  budget: ShortPromptBudget,
  countTokens: (text: string) => number,
  // The budget is the prefix's alone, not shared with the typed line: the kept lines then stay the same while
  // typing on the line, and a warm-up's short prompt (typed line empty) is reused by the keystroke after it.
  prefix = lastLines(context.prefix, budget.prefixTokens, countTokens),
): CompletionContext {
  return {
    ...context,
    prefix,
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
