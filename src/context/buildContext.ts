// The context of one completion (DESIGN §3): the prefix and suffix windows around the cursor (windows.ts),
// what the syntax tree says about the cursor (cursorScope.ts), and snippets ranked and packed into a token
// budget (packing.ts): definitions of imported symbols used near the cursor (importedDefinitions.ts), enclosing
// scope headers the prefix window cut off, recent edits, similar code in other open files (similarCode.ts),
// recent views. The builder keeps what outlives one keystroke, per document key.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { DEFAULTS } from "../config/defaults";
import type { Parsers } from "./parsers";
import { DocumentTrees, type TextEdit } from "./documentTrees";
import { cursorFacts, type LineMode, type Scope } from "./cursorScope";
import { ImportedDefinitions } from "./importedDefinitions";
import { SimilarCode } from "./similarCode";
import { estimateTokens } from "./tokens";
import { trimToBlockEnd } from "./blockEnd";
import { dedupe, pack } from "./packing";
import { LineIndex, PrefixAnchors, windowsAt } from "./windows";
import type { Candidate, ContextInput, ContextResult, ContextTimings } from "./types";

export type { Candidate, ContextInput, ContextResult, ContextTimings, OpenDocument, Snippet, SnippetReason } from "./types";

/** Keeps what outlives one keystroke: syntax trees, per-file definitions, resolved imports, similarity windows, prefix anchors. */
export class ContextBuilder {
  private readonly trees: DocumentTrees;
  private readonly definitions: ImportedDefinitions | undefined;
  private readonly similar = new SimilarCode();
  private readonly anchors = new PrefixAnchors();
  private readonly lines = new LineIndex();
  /** The parts of the last context's time (the benchmark reports them). */
  lastTimings: ContextTimings | undefined;

  constructor(readonly parsers: Parsers | undefined) {
    this.trees = new DocumentTrees(parsers);
    this.definitions = parsers && new ImportedDefinitions(parsers);
  }

  /** Editor content changes for a document's kept tree (VS Code's `contentChanges`, applied in order). */
  edit(key: string, edits: readonly TextEdit[], version?: number): void {
    this.trees.edit(key, edits, version);
  }

  /** A closed document: its tree and what was kept about it go. */
  forget(key: string): void {
    this.trees.forget(key);
    this.anchors.forget(key);
    this.lines.forget(key);
    this.definitions?.forget(key);
  }

  /** Syntax trees kept (one per document key). */
  get keptTrees(): number {
    return this.trees.size;
  }

  /**
   * `completion` cut at the end of the block the cursor is in (see blockEnd.ts), reusing the document's
   * kept tree for an incremental parse when it matches `text`.
   */
  trimToBlockEnd(input: { key?: string; path: string; languageId: string; text: string; offset: number; version?: number }, completion: string): Promise<string> {
    const documentTree = this.trees.peek(input.key ?? input.path, input.text, input.version);
    return trimToBlockEnd(this.parsers, input.languageId, input.text, input.offset, completion, { documentTree });
  }

  async context(input: ContextInput): Promise<ContextResult> {
    const started = performance.now();
    const count = input.countTokens ?? estimateTokens;
    const { text } = input;
    const offset = Math.max(0, Math.min(input.offset, text.length));
    const key = input.key ?? input.path;

    const windowsStarted = performance.now();
    const windows = windowsAt(this.anchors, key, text, offset, input.prefixTokens ?? DEFAULTS.context.prefixTokens, input.suffixTokens ?? DEFAULTS.context.suffixTokens, count, this.lines);
    const { startLine, endLine, cursorLine, lineStart } = windows;
    const notes = windows.notes;
    const fullLineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const windowsMs = performance.now() - windowsStarted;

    // The syntax tree and what it says about the cursor.
    const parseStarted = performance.now();
    let tree: TreeSitter.Tree | undefined;
    let changed = { changedFromRow: 0, changedToRow: Number.MAX_SAFE_INTEGER, rowDelta: 0 };
    try {
      const treeResult = await this.trees.lease(key, input.languageId, text, input.version);
      if (treeResult.tree) {
        tree = treeResult.tree;
        changed = { changedFromRow: treeResult.changedFromRow, changedToRow: treeResult.changedToRow, rowDelta: treeResult.rowDelta };
      } else notes.push(`plain-text context: ${treeResult.reason}`);
    } catch (error) {
      this.trees.forget(key);
      notes.push(`plain-text context: tree-sitter failed: ${message(error)}`);
    }
    const parseMs = performance.now() - parseStarted;
    const scopeStarted = performance.now();
    let scopes: Scope[] = [];
    let inStringOrComment = false;
    let lineMode: LineMode;
    if (tree) {
      const facts = cursorFacts(tree, text, offset, input.languageId);
      scopes = facts.scopes;
      inStringOrComment = facts.inStringOrComment;
      lineMode = facts.lineMode;
    } else {
      lineMode = plainLineMode(text, offset);
    }
    const scopeMs = performance.now() - scopeStarted;

    const candidates: Candidate[] = [];
    for (const scope of scopes) {
      if (scope.headerEndLine >= startLine) continue; // the window shows it
      const indent = text.slice(text.lastIndexOf("\n", scope.startOffset - 1) + 1, scope.startOffset);
      candidates.push({ path: input.path, startLine: scope.startLine, endLine: scope.headerEndLine, reason: "enclosing-scope", symbol: scope.name, text: indent + scope.header, order: scope.startLine });
    }

    const importsStarted = performance.now();
    try {
      if (tree && input.files && this.definitions) {
        const request = { key, path: input.path, languageId: input.languageId, text, offset, cursorLineStart: fullLineStart, cursorLine, files: input.files, tree, ...changed };
        candidates.push(...(await this.definitions.find(request, notes)));
      }
    } catch (error) {
      this.definitions?.forget(key);
      notes.push(`imported definitions skipped: ${message(error)}`);
    } finally {
      tree?.delete(); // our leased copy; nothing below uses it
    }
    const importsMs = performance.now() - importsStarted;

    const recent = input.recent ? ("list" in input.recent ? input.recent.list() : input.recent) : [];
    recent.forEach((chunk, i) => {
      if (chunk.path === input.path && chunk.startLine <= endLine && startLine <= chunk.endLine) return;
      candidates.push({ path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, reason: chunk.kind, text: chunk.text, order: i });
    });

    const similarStarted = performance.now();
    candidates.push(...this.similar.find(input.path, input.languageId, text, lineStart, input.openDocuments ?? []));
    const similarMs = performance.now() - similarStarted;

    const snippets = pack(dedupe(candidates, input.path, startLine, endLine), input.snippetBudgetTokens ?? DEFAULTS.context.snippetTokens, count);
    const timings = { windowsMs: round(windowsMs), parseMs: round(parseMs), scopeMs: round(scopeMs), importsMs: round(importsMs), similarMs: round(similarMs), totalMs: round(performance.now() - started) };
    this.lastTimings = timings;
    return {
      prefix: text.slice(windows.prefixStart, offset),
      suffix: text.slice(offset, windows.suffixEnd),
      linePrefix: text.slice(lineStart, offset),
      snippets,
      multiline: lineMode === "multi",
      lineMode,
      cursor: { inStringOrComment, scopes },
      window: { startLine, endLine, cursorLine },
      notes,
      timings,
    };
  }
}

const defaultBuilders = new WeakMap<Parsers, ContextBuilder>();
let plainBuilder: ContextBuilder | undefined;

/**
 * The context at `input.offset`. Without `builder`, one builder per `parsers` is kept for the process
 * (its trees and caches make the next call fast); without `parsers` the context is plain text.
 */
export function buildContext(input: ContextInput & { parsers?: Parsers; builder?: ContextBuilder }): Promise<ContextResult> {
  let builder = input.builder;
  if (!builder) {
    if (input.parsers) {
      builder = defaultBuilders.get(input.parsers);
      if (!builder) defaultBuilders.set(input.parsers, (builder = new ContextBuilder(input.parsers)));
    } else builder = plainBuilder ??= new ContextBuilder(undefined);
  }
  return builder.context(input);
}

/** Multi-line without a syntax tree: on a blank line indented deeper than zero, or right after `{`/`:`. */
function plainLineMode(text: string, offset: number): LineMode {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let end = text.indexOf("\n", offset);
  if (end < 0) end = text.length;
  const before = text.slice(start, offset);
  const after = text.slice(offset, end);
  if (after.trim() !== "" && !/^\s*[)\]}]*;?\s*$/.test(after)) return "single";
  if (before.trim() === "") return before.length > 0 ? "multi" : "single";
  return /[{:]\s*$/.test(before) ? "multi" : "single";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
