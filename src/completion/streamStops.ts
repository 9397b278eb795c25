// Where a multi-line suggestion stops while it streams (DESIGN §2 step 6): at the first line of the code that
// already follows the cursor, and at the end of the enclosing block (a line indented less than the cursor's).
// The worker applies these rules token by token, so generation ends there instead of running to its cap;
// post-processing (stopAtSuffix, the tree-sitter block trim) still has the last word on the text.
import type { LineStops } from "../engine/protocol";

/** The line rules for a multi-line completion at `offset` of `text`; undefined when none applies. */
export function lineStopsFor(text: string, offset: number): LineStops | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const indentBelow = /^[ \t]*/.exec(text.slice(lineStart, offset))![0].length;
  const lineEnd = text.indexOf("\n", offset);
  let equal: string | undefined;
  if (lineEnd >= 0) {
    for (let start = lineEnd + 1, n = 0; start <= text.length && n < 40; n++) {
      const end = text.indexOf("\n", start);
      const line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
      if (line.trim()) {
        // Too short a line is no evidence of having reached it, except a closing bracket.
        if (line.trim().length >= 3 || /^[)\]}]+;?$/.test(line.trim())) equal = line.trimEnd();
        break;
      }
      if (end < 0) break;
      start = end + 1;
    }
  }
  if (equal === undefined && indentBelow === 0) return undefined;
  return { ...(equal !== undefined ? { equal } : {}), ...(indentBelow > 0 ? { indentBelow } : {}) };
}
