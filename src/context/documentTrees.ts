// One syntax tree per open document, kept across keystrokes and updated incrementally: the editor's content
// changes are applied with `tree.edit`, then the next `get` reparses reusing the unchanged parts. When no
// edits were reported (the CLI, a missed event), the difference between the kept text and the new one is
// turned into a single edit, so the parse is incremental all the same.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";

/** VS Code's content-change shape: offsets into the text before this change (after the previous ones). */
export interface TextEdit {
  startOffset: number;
  oldEndOffset: number;
  newText: string;
}
export type ContentChange = TextEdit;

/** Files larger than this, or with a line longer than MAX_LINE, are not parsed (minified or generated code). */
export const MAX_PARSE_CHARS = 1024 * 1024;
/** @deprecated use MAX_PARSE_CHARS */
export const MAX_PARSE_BYTES = MAX_PARSE_CHARS;
export const MAX_LINE = 10_000;

export type TreeResult = { tree: TreeSitter.Tree; reason?: undefined; incremental: boolean } | { tree?: undefined; reason: string };

interface Entry {
  languageId: string;
  /** The text `tree` describes once `dirty` edits are reparsed. */
  text: string;
  version?: number;
  tree: TreeSitter.Tree;
  dirty: boolean;
}

/** Why `text` is not parsed, or undefined when it may be. */
export function parseRefusal(text: string): string | undefined {
  if (text.length > MAX_PARSE_CHARS) return `file is ${(text.length / 1048576).toFixed(1)} MB, over the ${MAX_PARSE_CHARS / 1048576} MB parse limit`;
  if (text.length <= MAX_LINE) return undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > MAX_LINE) return `a line is longer than ${MAX_LINE} characters (minified?)`;
    start = end + 1;
  }
  return undefined;
}

export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Without tree-sitter every `get` is refused with a reason. */
    private readonly parsers: Parsers | undefined,
    /** Trees kept at most (least recently used dropped): each holds WASM memory. */
    private readonly capacity = 64,
  ) {}

  /** @deprecated use parseRefusal */
  static refusal(text: string): string | undefined {
    return parseRefusal(text);
  }

  /** Applies editor changes, in order, to the kept tree so the next `get` reparses incrementally. */
  edit(key: string, edits: readonly TextEdit[], version?: number): void {
    const entry = this.entries.get(key);
    if (!entry || edits.length === 0) return;
    let text = entry.text;
    for (const e of edits) {
      if (e.startOffset < 0 || e.oldEndOffset < e.startOffset || e.oldEndOffset > text.length) {
        // Out of step with the editor: drop the tree, the next get parses afresh.
        this.forget(key);
        return;
      }
      text = applyEdit(entry.tree, text, e);
    }
    entry.text = text;
    entry.version = version;
    entry.dirty = true;
  }

  /**
   * The tree of `text`: the kept one when unchanged (same version, or same text), reparsed incrementally
   * after edits, parsed afresh otherwise. Refused (with a reason) for huge or minified files and languages
   * without a grammar.
   */
  async get(key: string, languageId: string, text: string, version?: number): Promise<TreeResult> {
    return this.resolve(key, languageId, text, version, (tree) => tree);
  }

  /**
   * Like `get`, but the tree is the caller's own copy (cheap: tree-sitter shares the nodes), which stays valid
   * when a concurrent request replaces the kept tree; the caller deletes it. For callers that await while
   * holding the tree.
   */
  async lease(key: string, languageId: string, text: string, version?: number): Promise<TreeResult> {
    return this.resolve(key, languageId, text, version, (tree) => tree.copy());
  }

  private async resolve(key: string, languageId: string, text: string, version: number | undefined, handOut: (tree: TreeSitter.Tree) => TreeSitter.Tree): Promise<TreeResult> {
    const entry = this.entries.get(key);
    if (entry && entry.languageId === languageId && !entry.dirty && ((version !== undefined && entry.version === version && entry.text.length === text.length) || entry.text === text)) {
      this.touch(key, entry);
      return { tree: handOut(entry.tree), incremental: true };
    }
    const refusal = this.parsers ? parseRefusal(text) : "tree-sitter is not loaded";
    if (refusal || !this.parsers) {
      this.forget(key);
      return { reason: refusal ?? "tree-sitter is not loaded" };
    }
    if (!this.parsers.loadedLanguage(languageId) && !(await this.parsers.language(languageId))) {
      this.forget(key);
      return { reason: `no tree-sitter grammar for ${languageId}` };
    }
    let old: TreeSitter.Tree | undefined;
    const current = this.entries.get(key); // re-read: an edit may have come in while the grammar loaded
    if (current && current.languageId === languageId) {
      if (current.text !== text) current.text = applyEdit(current.tree, current.text, diffEdit(current.text, text));
      old = current.tree;
    }
    const tree = this.parsers.parseLoaded(languageId, text, old);
    if (!tree) {
      this.forget(key);
      return { reason: `tree-sitter could not parse ${languageId}` };
    }
    if (current && current.tree !== tree) current.tree.delete();
    this.entries.delete(key);
    this.entries.set(key, { languageId, text, version, tree, dirty: false });
    while (this.entries.size > this.capacity) this.forget(this.entries.keys().next().value!);
    return { tree: handOut(tree), incremental: old !== undefined };
  }

  /** The kept tree without reparsing, when it is up to date (and describes `text`, when given). */
  peek(key: string, text?: string): TreeSitter.Tree | undefined {
    const entry = this.entries.get(key);
    return entry && !entry.dirty && (text === undefined || entry.text === text) ? entry.tree : undefined;
  }

  forget(key: string): void {
    this.entries.get(key)?.tree.delete();
    this.entries.delete(key);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.forget(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}

/** Tells `tree` about one edit of `text` and returns the edited text. */
function applyEdit(tree: TreeSitter.Tree, text: string, e: TextEdit): string {
  const start = pointAt(text, e.startOffset);
  tree.edit({
    startIndex: e.startOffset,
    oldEndIndex: e.oldEndOffset,
    newEndIndex: e.startOffset + e.newText.length,
    startPosition: start,
    oldEndPosition: pointAt(text, e.oldEndOffset, start, e.startOffset),
    newEndPosition: pointAfter(start, e.newText),
  });
  return text.slice(0, e.startOffset) + e.newText + text.slice(e.oldEndOffset);
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { startOffset: start, oldEndOffset: before.length - end, newText: after.slice(start, after.length - end) };
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of `offset`; `from` may give a known earlier point. */
export function pointAt(text: string, offset: number, from: TreeSitter.Point = { row: 0, column: 0 }, fromOffset = 0): TreeSitter.Point {
  let row = from.row;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf("\n", fromOffset); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The point after inserting `inserted` at `start`. */
export function pointAfter(start: TreeSitter.Point, inserted: string): TreeSitter.Point {
  const lastNewline = inserted.lastIndexOf("\n");
  if (lastNewline < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf("\n"); i >= 0; i = inserted.indexOf("\n", i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNewline - 1 };
}
