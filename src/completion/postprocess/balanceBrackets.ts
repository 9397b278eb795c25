import type { Filter } from "./types";
import { CLOSERS, OPENERS, openBrackets, scanBrackets } from "./brackets";

/**
 * Cuts a single-line result at the first bracket it closes that was never opened on this line
 * or in the result itself (the model running on into the code after the cursor).
 */
export const balanceBrackets: Filter = (candidate, context) => {
  if (context.multiline || candidate.text.includes("\n")) return candidate;
  const stack = openBrackets(context.linePrefix);
  const text = candidate.text;
  const unopened = scanBrackets(text, (c) => {
    if (OPENERS[c]) stack.push(c);
    else if (stack[stack.length - 1] !== CLOSERS[c]) return false;
    else stack.pop();
  });
  if (unopened >= 0) {
    const kept = text.slice(0, unopened).trimEnd();
    return kept ? { ...candidate, text: kept } : undefined;
  }
  return candidate;
};
