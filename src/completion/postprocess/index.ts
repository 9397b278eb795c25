import type { Candidate, Filter, FilterContext } from "./types";
import { dropEmpty } from "./dropEmpty";
import { cutAtControlCharacter } from "./cutAtControlCharacter";
import { stopAtSuffix } from "./stopAtSuffix";
import { dropRepeatedLines } from "./dropRepeatedLines";
import { balanceBrackets } from "./balanceBrackets";
import { fixIndentation } from "./fixIndentation";
import { mergeRestOfLine } from "./mergeRestOfLine";
import { normalizeLineEndings } from "./normalizeLineEndings";

export type { Candidate, Filter, FilterContext } from "./types";

/** The filters in the order they run; a block-end trimmer (tree-sitter) may be inserted by the caller. */
export function postProcess(text: string, context: FilterContext, extra: readonly Filter[] = []): Candidate | undefined {
  const filters: Filter[] = [normalizeLineEndings, cutAtControlCharacter, dropEmpty, stopAtSuffix, dropRepeatedLines, ...extra, balanceBrackets, fixIndentation, mergeRestOfLine, dropEmpty];
  let candidate: Candidate | undefined = { text, replaceChars: 0 };
  for (const filter of filters) {
    candidate = filter(candidate, context);
    if (!candidate) return undefined;
  }
  return candidate;
}
