export const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
export const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** The brackets left open at the end of `text`, innermost last; strings and comments are not skipped (a heuristic). */
export function openBrackets(text: string): string[] {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (OPENERS[c]) stack.push(c);
    else if (CLOSERS[c] && stack[stack.length - 1] === CLOSERS[c]) stack.pop();
  }
  return stack;
}
