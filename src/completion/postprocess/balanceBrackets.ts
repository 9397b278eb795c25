import type { Filter } from "./types";
import { CLOSERS, OPENERS, openBrackets } from "./brackets";

/**
 * Cuts a single-line result at the first bracket it closes that was never opened on this line
 * or in the result itself (the model running on into the code after the cursor).
 */
export const balanceBrackets: Filter = (candidate, context) => {
  if (context.multiline || candidate.text.includes("\n")) return candidate;
  const stack = openBrackets(context.linePrefix);
  let quote: string | undefined;
  const text = candidate.text;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (OPENERS[c]) stack.push(c);
    else if (CLOSERS[c]) {
      if (stack[stack.length - 1] !== CLOSERS[c]) {
        const kept = text.slice(0, i).trimEnd();
        return kept ? { ...candidate, text: kept } : undefined;
      }
      stack.pop();
    }
  }
  return candidate;
};
