// One syntax tree per open document, updated incrementally from the editor's content changes.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";

export interface TextEdit {
  startOffset: number;
  oldEndOffset: number;
  newText: string;
}

/** Files over this size, or with a line longer than MAX_LINE, are not parsed (minified or generated code). */
export const MAX_PARSE_BYTES = 1024 * 1024;
export const MAX_LINE = 10_000;

interface Entry {
  languageId: string;
  text: string;
  tree: TreeSitter.Tree;
  /** Edits applied to `tree` since it was parsed from `text`, waiting for a reparse. */
  dirty: boolean;
}

export type TreeResult = { tree: TreeSitter.Tree; reason?: undefined } | { tree?: undefined; reason: string };

export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly parsers: Parsers) {}

  /** Why `text` is not parsed, or undefined when it may be. */
  static refusal(text: string): string | undefined {
    if (text.length > MAX_PARSE_BYTES) return `file is ${(text.length / 1048576).toFixed(1)} MB, over the ${MAX_PARSE_BYTES / 1048576} MB parse limit`;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      if (end - start > MAX_LINE) return `a line is longer than ${MAX_LINE} characters (minified?)`;
      start = end + 1;
    }
    return undefined;
  }

  /** Applies editor changes (in order) to the kept tree, so the next parse is incremental. */
  edit(key: string, edits: readonly TextEdit[]): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    let text = entry.text;
    for (const e of edits) {
      const newEnd = e.startOffset + e.newText.length;
      entry.tree.edit({
        startIndex: e.startOffset,
        oldEndIndex: e.oldEndOffset,
        newEndIndex: newEnd,
        startPosition: pointAt(text, e.startOffset),
        oldEndPosition: pointAt(text, e.oldEndOffset),
        newEndPosition: pointAfter(pointAt(text, e.startOffset), e.newText),
      });
      text = text.slice(0, e.startOffset) + e.newText + text.slice(e.oldEndOffset);
    }
    entry.text = text;
    entry.dirty = true;
  }

  /** The tree of `text`: reused when unchanged, reparsed incrementally after edits, parsed fresh otherwise. */
  async get(key: string, languageId: string, text: string): Promise<TreeResult> {
    const refusal = DocumentTrees.refusal(text);
    if (refusal) {
      this.forget(key);
      return { reason: refusal };
    }
    const entry = this.entries.get(key);
    if (entry && entry.languageId === languageId && entry.text === text && !entry.dirty) return { tree: entry.tree };
    const old = entry && entry.languageId === languageId && entry.text === text ? entry.tree : undefined;
    const tree = await this.parsers.parse(languageId, text, old);
    if (!tree) {
      this.forget(key);
      return { reason: `no tree-sitter grammar for ${languageId}` };
    }
    if (entry && entry.tree !== tree) entry.tree.delete();
    this.entries.set(key, { languageId, text, tree, dirty: false });
    return { tree };
  }

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export function pointAt(text: string, offset: number): TreeSitter.Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function pointAfter(start: TreeSitter.Point, inserted: string): TreeSitter.Point {
  const lines = inserted.split("\n");
  if (lines.length === 1) return { row: start.row, column: start.column + inserted.length };
  return { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
}
