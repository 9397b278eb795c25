// Line endings of text put into a document: model output comes with "\n" (or whatever the model chose), a
// document may use "\r\n" (Windows) — text shown beside it, as in the diff review, gets the document's own.

export type LineEnding = "\n" | "\r\n";

/** `text` with every line break ("\r\n", "\n" or a lone "\r") as `eol`. */
export function withLineEnding(text: string, eol: LineEnding): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}
