/** A completion on its way to the editor: text inserted at the cursor, optionally replacing characters after it. */
export interface Candidate {
  text: string;
  /** Characters of the current line after the cursor that the text replaces (auto-closed brackets, quotes). */
  replaceChars: number;
}

export interface FilterContext {
  /** The current line before the cursor. */
  linePrefix: string;
  /** The current line after the cursor. */
  lineSuffix: string;
  /** Lines after the current line (a window is enough). */
  nextLines: readonly string[];
  /** One level of indentation in this document ("\t" or spaces). */
  indentUnit: string;
  multiline: boolean;
}

/** One post-processing step: returns the candidate, changed or not, or undefined to drop it. */
export type Filter = (candidate: Candidate, context: FilterContext) => Candidate | undefined;
