/** About 3.5 characters a token for code, newlines counted on their own: the budget's cheap estimate. */
export function estimateTokens(text: string): number {
  let newlines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines++;
  return Math.ceil((text.length - newlines) / 3.5) + newlines;
}

