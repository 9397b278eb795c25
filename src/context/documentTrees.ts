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
  /** The row and column (UTF-16) of `startOffset`, when the editor gives them (VS Code's `range.start`): nothing is counted then. */
  start?: TreeSitter.Point;
}
export type ContentChange = TextEdit;

/** Files larger than this, or with a line longer than MAX_LINE, are not parsed (minified or generated code). */
export const MAX_PARSE_CHARS = 1024 * 1024;
export const MAX_LINE = 10_000;

export type TreeResult =
  | {
      tree: TreeSitter.Tree;
      reason?: undefined;
      incremental: boolean;
      /**
       * The first row (0-based) whose text may differ from the tree handed out for this key before:
       * Infinity when nothing changed, 0 after a fresh parse. Lets callers keep what they derived from rows above.
       */
      changedFromRow: number;
      /** The last row (0-based, in the new text) of those changes; -1 when nothing changed. */
      changedToRow: number;
      /** Rows added (negative: removed) by those changes: rows after them moved by this much. */
      rowDelta: number;
    }
  | { tree?: undefined; reason: string };

interface Entry {
  languageId: string;
  /** The text `tree` describes once `dirty` edits are reparsed. */
  text: string;
  version?: number;
  tree: TreeSitter.Tree;
  dirty: boolean;
  /** The rows edited since a tree was last handed out (Infinity / -1: none). */
  changedFromRow: number;
  changedToRow: number;
  rowDelta: number;
  /** An edit made a line longer than MAX_LINE: the next get refuses. */
  longLine: boolean;
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
  /** Characters of document text read to place editor changes, over all `edit` calls (a keystroke's share does not grow with the file). */
  charsScanned = 0;

  constructor(
    /** Without tree-sitter every `get` is refused with a reason. */
    private readonly parsers: Parsers | undefined,
    /** Trees kept at most (least recently used dropped): each holds WASM memory. */
    private readonly capacity = 64,
  ) {}

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
      const applied = applyEdit(entry.tree, text, e);
      text = applied.text;
      this.charsScanned += applied.scanned;
      noteChange(entry, applied);
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
      const { changedFromRow, changedToRow, rowDelta } = entry;
      entry.changedFromRow = Infinity;
      entry.changedToRow = -1;
      entry.rowDelta = 0;
      return { tree: handOut(entry.tree), incremental: true, changedFromRow, changedToRow, rowDelta };
    }
    // A kept text passed the check: then only its edited lines are checked (in applyEdit), not the whole text.
    const kept = entry && entry.languageId === languageId;
    const refusal = !this.parsers ? "tree-sitter is not loaded" : kept ? (text.length > MAX_PARSE_CHARS ? parseRefusal(text) : undefined) : parseRefusal(text);
    if (refusal || !this.parsers) {
      this.forget(key);
      return { reason: refusal ?? "tree-sitter is not loaded" };
    }
    if (!this.parsers.loadedLanguage(languageId) && !(await this.parsers.language(languageId))) {
      this.forget(key);
      return { reason: `no tree-sitter grammar for ${languageId}` };
    }
    let old: TreeSitter.Tree | undefined;
    let changed = { changedFromRow: 0, changedToRow: Number.MAX_SAFE_INTEGER, rowDelta: 0 };
    const current = this.entries.get(key); // re-read: an edit may have come in while the grammar loaded
    if (current && current.languageId === languageId) {
      const sameVersion = version !== undefined && current.version === version && current.text.length === text.length;
      if (!sameVersion && current.text !== text) {
        const applied = applyEdit(current.tree, current.text, diffEdit(current.text, text));
        current.text = applied.text;
        noteChange(current, applied);
      }
      if (current.longLine) {
        this.forget(key);
        return { reason: `a line is longer than ${MAX_LINE} characters (minified?)` };
      }
      changed = { changedFromRow: current.changedFromRow, changedToRow: current.changedToRow, rowDelta: current.rowDelta };
      old = current.tree;
    } else if (kept) {
      const late = parseRefusal(text);
      if (late) return { reason: late };
    }
    const tree = this.parsers.parseLoaded(languageId, text, old);
    if (!tree) {
      this.forget(key);
      return { reason: `tree-sitter could not parse ${languageId}` };
    }
    if (current && current.tree !== tree) current.tree.delete();
    this.entries.delete(key);
    this.entries.set(key, { languageId, text, version, tree, dirty: false, changedFromRow: Infinity, changedToRow: -1, rowDelta: 0, longLine: false });
    while (this.entries.size > this.capacity) this.forget(this.entries.keys().next().value!);
    return { tree: handOut(tree), incremental: old !== undefined, ...changed };
  }

  /** The kept tree without reparsing, when it is up to date (and describes `text`, when given). */
  peek(key: string, text?: string, version?: number): TreeSitter.Tree | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.dirty || text === undefined) return entry && !entry.dirty ? entry.tree : undefined;
    const same = (version !== undefined && entry.version === version && entry.text.length === text.length) || entry.text === text;
    return same ? entry.tree : undefined;
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

interface Applied {
  text: string;
  /** Characters of the text read to place the edit. */
  scanned: number;
  row: number;
  oldEndRow: number;
  newEndRow: number;
  longLine: boolean;
}

/**
 * Tells `tree` about one edit of `text`; the edited text and the rows the edit covers. Costs what the edit
 * touches, not the file's size: the start's row comes from the editor or from the tree's node there (not by
 * counting lines from the top), and the edited text stays a concatenation nothing here reads whole.
 */
function applyEdit(tree: TreeSitter.Tree, text: string, e: TextEdit): Applied {
  const anchor = e.start ? { index: e.startOffset, point: e.start } : nearestAnchor(tree, text, e.startOffset);
  const start = pointAt(text, e.startOffset, anchor.point, anchor.index);
  const oldEnd = pointAt(text, e.oldEndOffset, start, e.startOffset);
  const newEnd = pointAfter(start, e.newText);
  tree.edit({ startIndex: e.startOffset, oldEndIndex: e.oldEndOffset, newEndIndex: e.startOffset + e.newText.length, startPosition: start, oldEndPosition: oldEnd, newEndPosition: newEnd });
  const edited = text.slice(0, e.startOffset) + e.newText + text.slice(e.oldEndOffset);
  // The lines the edit leaves around its new text: the old text's line before it, the new text, the old line after it.
  const lineStart = text.lastIndexOf("\n", e.startOffset - 1) + 1;
  let lineEnd = text.indexOf("\n", e.oldEndOffset);
  if (lineEnd < 0) lineEnd = text.length;
  const touched = text.slice(lineStart, e.startOffset) + e.newText + text.slice(e.oldEndOffset, lineEnd);
  const scanned = e.startOffset - anchor.index + (e.oldEndOffset - e.startOffset) + (e.startOffset - lineStart) + (lineEnd - e.oldEndOffset);
  return { text: edited, row: start.row, oldEndRow: oldEnd.row, newEndRow: newEnd.row, longLine: hasLongLine(touched), scanned };
}

/**
 * The point of `offset` in `text`, counted from the nearest node boundary before it that `tree` knows the point
 * of (going down from the root: the start of the child holding the offset, or the end of the child before it).
 */
export function pointNear(tree: TreeSitter.Tree, text: string, offset: number): TreeSitter.Point {
  const anchor = nearestAnchor(tree, text, offset);
  return pointAt(text, offset, anchor.point, anchor.index);
}

/** The node boundary `pointNear` counts from: an index at or before `offset` and its point. */
function nearestAnchor(tree: TreeSitter.Tree, text: string, offset: number): { index: number; point: TreeSitter.Point } {
  let node = tree.rootNode;
  let anchorIndex = 0;
  let anchor: TreeSitter.Point = { row: 0, column: 0 };
  if (node.endIndex !== text.length) return { index: anchorIndex, point: anchor };
  for (let depth = 0; depth < 256; depth++) {
    const child = node.firstChildForIndex(offset);
    const before = child ? child.previousSibling : node.lastChild;
    if (before && before.endIndex <= offset && before.endIndex >= anchorIndex) {
      anchorIndex = before.endIndex;
      anchor = before.endPosition;
    }
    if (!child || child.startIndex > offset) break;
    if (child.startIndex >= anchorIndex) {
      anchorIndex = child.startIndex;
      anchor = child.startPosition;
    }
    node = child;
  }
  return { index: anchorIndex, point: anchor };
}

/** Whether a line of `text` is longer than MAX_LINE. */
function hasLongLine(text: string): boolean {
  if (text.length <= MAX_LINE) return false;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > MAX_LINE) return true;
    start = end + 1;
  }
  return false;
}

/** Widens the entry's changed rows by one edit (earlier changes below it move with its added or removed rows). */
function noteChange(entry: Entry, applied: Applied): void {
  const shifted = entry.changedToRow >= applied.oldEndRow ? entry.changedToRow + applied.newEndRow - applied.oldEndRow : entry.changedToRow;
  entry.changedFromRow = Math.min(entry.changedFromRow, applied.row);
  entry.changedToRow = Math.max(shifted, applied.newEndRow);
  entry.rowDelta += applied.newEndRow - applied.oldEndRow;
  entry.longLine ||= applied.longLine;
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  const start = commonPrefixLength(before, after, max);
  const end = commonSuffixLength(before, after, max - start);
  return { startOffset: start, oldEndOffset: before.length - end, newText: after.slice(start, after.length - end) };
}

/** Compared in blocks first: a native string comparison per block costs far less than a JS loop per character. */
const DIFF_BLOCK = 4096;

function commonPrefixLength(a: string, b: string, max: number): number {
  let n = 0;
  while (n + DIFF_BLOCK <= max && a.slice(n, n + DIFF_BLOCK) === b.slice(n, n + DIFF_BLOCK)) n += DIFF_BLOCK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffixLength(a: string, b: string, max: number): number {
  let n = 0;
  while (n + DIFF_BLOCK <= max && a.slice(a.length - n - DIFF_BLOCK, a.length - n) === b.slice(b.length - n - DIFF_BLOCK, b.length - n)) n += DIFF_BLOCK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
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
