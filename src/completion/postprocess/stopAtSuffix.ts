import type { Filter } from "./types";

/**
 * Cuts a multi-line result where it reaches the code that already follows the cursor:
 * the first non-blank line after the current line, when it is distinctive enough to recognise.
 */
export const stopAtSuffix: Filter = (candidate, context) => {
  const next = context.nextLines.find((line) => line.trim() !== "");
  if (!next) return candidate;
  const anchor = next.trim();
  if (anchor.length < 3 && !/^[)\]}]+;?$/.test(anchor)) return candidate;
  const lines = candidate.text.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === anchor && lines[i].trimEnd() === next.trimEnd()) {
      return { ...candidate, text: lines.slice(0, i).join("\n") };
    }
  }
  return candidate;
};
