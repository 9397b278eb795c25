import type { Filter } from "./types";

/**
 * When the cursor sits before auto-closed characters (`foo(|)`, `"|"`, `[|];`) and the result writes them
 * itself, replace them instead of doubling them: the result then covers the rest of the line.
 */
export const mergeRestOfLine: Filter = (candidate, context) => {
  const rest = context.lineSuffix.trimEnd();
  if (!rest) return candidate;
  const firstLine = candidate.text.split("\n")[0];
  // The whole rest of the line is reproduced at the end of the result's first line.
  if (firstLine.endsWith(rest) && !candidate.text.includes("\n")) {
    return { ...candidate, replaceChars: context.lineSuffix.length };
  }
  // Only closers and punctuation follow: they must appear, in order, in the result.
  if (/^[)\]}"'`;,]+$/.test(rest) && !candidate.text.includes("\n")) {
    let at = 0;
    for (const ch of firstLine) if (ch === rest[at]) at++;
    if (at === rest.length) {
      // Cut the result after the last of those characters so nothing trails past the line's end.
      let seen = 0;
      let end = firstLine.length;
      for (let i = 0; i < firstLine.length; i++) {
        if (firstLine[i] === rest[seen]) {
          seen++;
          if (seen === rest.length) {
            end = i + 1;
            break;
          }
        }
      }
      return { text: firstLine.slice(0, end), replaceChars: context.lineSuffix.length };
    }
  }
  return candidate;
};
