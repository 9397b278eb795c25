// Context without a parser: windows of the file around the cursor. Used for languages tree-sitter
// does not know, for files too big to parse, and as the floor the tree-sitter context builds on.
import type { CompletionContext, DocumentPosition, MultilineSetting } from "./pipeline";

export interface WindowSizes {
  prefixChars: number;
  suffixChars: number;
}

export const DEFAULT_WINDOWS: WindowSizes = { prefixChars: 6000, suffixChars: 1200 };

export function plainContext(position: DocumentPosition, multiline: MultilineSetting, windows: WindowSizes = DEFAULT_WINDOWS): CompletionContext {
  const { text, offset } = position;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  // Start the prefix window at a line boundary so its first line is whole.
  let prefixStart = Math.max(0, lineStart - windows.prefixChars);
  if (prefixStart > 0) prefixStart = text.indexOf("\n", prefixStart) + 1 || lineStart;
  let suffixEnd = Math.min(text.length, offset + windows.suffixChars);
  if (suffixEnd < text.length) {
    const cut = text.lastIndexOf("\n", suffixEnd);
    if (cut > offset) suffixEnd = cut + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const lineSuffix = text.slice(offset, lineEnd < 0 ? text.length : lineEnd);
  const autoMulti = linePrefix.trim() === "" && lineSuffix.trim() === "";
  return {
    prefix: text.slice(prefixStart, lineStart),
    linePrefix,
    suffix: text.slice(offset, suffixEnd),
    snippets: [],
    multiline: multiline === "always" ? true : multiline === "never" ? false : autoMulti,
  };
}
