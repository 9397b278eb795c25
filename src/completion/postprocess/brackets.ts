export const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
export const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/**
 * Calls `visit` with each bracket of `text` outside string literals (quotes with backslash escapes; comments
 * are not skipped: a heuristic). `visit` returns false to stop; the index of the stop is returned, else -1.
 */
export function scanBrackets(text: string, visit: (bracket: string, index: number) => boolean | void): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if ((OPENERS[c] || CLOSERS[c]) && visit(c, i) === false) return i;
  }
  return -1;
}

/** The brackets left open at the end of `text`, innermost last. */
export function openBrackets(text: string): string[] {
  const stack: string[] = [];
  scanBrackets(text, (c) => {
    if (OPENERS[c]) stack.push(c);
    else if (stack[stack.length - 1] === CLOSERS[c]) stack.pop();
  });
  return stack;
}
