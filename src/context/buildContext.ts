// The context of one completion (DESIGN §3): the prefix and suffix windows around the cursor, what the
// syntax tree says about the cursor, and snippets from elsewhere ranked and packed into a token budget —
// definitions of imported symbols used near the cursor, enclosing scope headers the prefix window cut off,
// recent edits, similar code in other open files, recent views. The snippet block is ordered by path and
// line, so it does not change from one keystroke to the next and the model's KV cache keeps it.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { DocumentTrees, parseRefusal, type TextEdit } from "./documentTrees";
import { cursorFacts, type LineMode, type Scope } from "./cursorScope";
import { importsOf, type ImportRef, type WorkspaceFiles } from "./imports";
import { ImportResolver } from "./resolve";
import { definitionsOf, type Definition } from "./definitions";
import type { RecentChunk, RecentChunks } from "./recentChunks";
import { SimilarityIndex, identifierSet, jaccard, lineSet } from "./similarity";
import { estimateTokens } from "./tokens";
import { trimToBlockEnd } from "./blockEnd";
import { languageOfPath } from "./languages";

export { estimateTokens } from "./tokens";
export { languageOfPath } from "./languages";

export type SnippetReason = "enclosing-scope" | "imported-definition" | "recent-edit" | "recent-view" | "similar-code";

export interface Snippet {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  reason: SnippetReason;
  symbol?: string;
  text: string;
}

export interface OpenDocument {
  /** Workspace-relative path (forward slashes). */
  path: string;
  languageId: string;
  text: string;
}

export interface ContextInput {
  /** Workspace-relative path of the file being edited (forward slashes). */
  path: string;
  languageId: string;
  text: string;
  /** Cursor offset in `text` (UTF-16 code units, as VS Code's `document.offsetAt`). */
  offset: number;
  /** Key of the document's kept syntax tree (the editor's uri); `path` when absent. */
  key?: string;
  /** The document's version: an unchanged version skips even the text comparison. */
  version?: number;
  /** Reads other workspace files for import resolution; without it no imported definitions. */
  files?: WorkspaceFiles;
  /** Other open documents, searched for similar code. */
  openDocuments?: readonly OpenDocument[];
  /** Recently edited and viewed chunks. */
  recent?: RecentChunks | readonly RecentChunk[];
  /** Prefix window before the cursor's line, in tokens (default 1500). */
  prefixTokens?: number;
  /** Suffix window from the cursor on, in tokens (default 300). */
  suffixTokens?: number;
  /** Budget of all snippets together, in tokens (default 600). */
  snippetBudgetTokens?: number;
  /** @deprecated alias of snippetBudgetTokens */
  snippetTokens?: number;
  /** A real token counter; `estimateTokens` otherwise. */
  countTokens?: (text: string) => number;
}

export interface ContextTimings {
  parseMs: number;
  scopeMs: number;
  importsMs: number;
  similarMs: number;
  totalMs: number;
}

export interface ContextResult {
  /** The text before the cursor within the prefix window (whole lines, then the current line up to the cursor). */
  prefix: string;
  /** The text after the cursor within the suffix window (the rest of the current line, then whole lines). */
  suffix: string;
  /** The current line up to the cursor (the tail of `prefix`): the prompt puts it after the FIM middle token. */
  linePrefix: string;
  /** Ordered by path, then line. */
  snippets: Snippet[];
  multiline: boolean;
  lineMode: LineMode;
  cursor: { inStringOrComment: boolean; scopes: Scope[] };
  /** 1-based lines the prefix and suffix windows cover. */
  window: { startLine: number; endLine: number; cursorLine: number };
  /** Why parts are missing ("plain-text context: no tree-sitter grammar for xyz", …). */
  notes: string[];
  timings: ContextTimings;
}

/** The shape the completion pipeline has used so far: `prefix` stops at the start of the current line. */
export interface BuiltContext extends Omit<ContextResult, "prefix"> {
  prefix: string;
}

export const DEFAULT_PREFIX_TOKENS = 1500;
export const DEFAULT_SUFFIX_TOKENS = 300;
/** Characters of the cursor's line kept on each side of the cursor when the line is longer (minified code). */
export const MAX_CURSOR_LINE_CHARS = 1000;
export const DEFAULT_SNIPPET_TOKENS = 600;
/** Identifiers on these many lines before / after the cursor count as used near it. */
export const NEAR_LINES_BEFORE = 30;
export const NEAR_LINES_AFTER = 10;
/** Added to the distance of a name seen only on an import line. */
const IMPORT_LINE_PENALTY = NEAR_LINES_BEFORE + NEAR_LINES_AFTER;
const SIMILAR_WINDOW_LINES = 16;
const SIMILAR_MIN_SCORE = 0.15;
const SIMILAR_MAX = 3;
const MAX_OPEN_DOCUMENT_CHARS = 300_000;

const RANK: Record<SnippetReason, number> = { "imported-definition": 0, "enclosing-scope": 1, "recent-edit": 2, "similar-code": 3, "recent-view": 4 };

interface FileFacts {
  text: string;
  languageId: string;
  definitions: Definition[];
  /** Definitions by name ("default" for the default export). */
  byName: Map<string, Definition[]>;
  imports: ImportRef[];
}

interface Candidate extends Snippet {
  /** Lower first, within one reason. */
  order: number;
}

/** Keeps what outlives one keystroke: syntax trees, per-file definitions, resolved imports, similarity windows, prefix anchors. */
export class ContextBuilder {
  readonly trees: DocumentTrees;
  private readonly resolver = new ImportResolver();
  private readonly similar = new SimilarityIndex();
  /** Definitions and imports of other files, recomputed only when their text changes. */
  private readonly fileFacts = new Map<string, FileFacts>();
  /** Per document: where the prefix window started last time, so it moves in steps, not every line. */
  private readonly anchors = new Map<string, number>();

  constructor(readonly parsers: Parsers | undefined) {
    this.trees = new DocumentTrees(parsers);
  }

  /** Editor content changes for a document's kept tree (VS Code's `contentChanges`, applied in order). */
  edit(key: string, edits: readonly TextEdit[], version?: number): void {
    this.trees.edit(key, edits, version);
  }

  forget(key: string): void {
    this.trees.forget(key);
    this.anchors.delete(key);
  }

  /**
   * `completion` cut at the end of the block the cursor is in (see blockEnd.ts), reusing the document's
   * kept tree for an incremental parse when it matches `text`.
   */
  trimToBlockEnd(input: { key?: string; path: string; languageId: string; text: string; offset: number }, completion: string): Promise<string> {
    const documentTree = this.trees.peek(input.key ?? input.path, input.text);
    return trimToBlockEnd(this.parsers, input.languageId, input.text, input.offset, completion, { documentTree });
  }

  /** The context in the pipeline's older shape (`prefix` without the current line). */
  async build(input: ContextInput): Promise<BuiltContext> {
    const result = await this.context(input);
    return { ...result, prefix: result.prefix.slice(0, result.prefix.length - result.linePrefix.length) };
  }

  async context(input: ContextInput): Promise<ContextResult> {
    const started = performance.now();
    const count = input.countTokens ?? estimateTokens;
    const notes: string[] = [];
    const { text } = input;
    const offset = Math.max(0, Math.min(input.offset, text.length));
    const key = input.key ?? input.path;

    // Windows, in whole lines; a very long cursor line (minified code) is cut to its part near the cursor.
    const fullLineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const cursorLine = lineNumberAt(text, fullLineStart);
    const lineStart = Math.max(fullLineStart, offset - MAX_CURSOR_LINE_CHARS);
    if (lineStart > fullLineStart) notes.push(`the cursor's line has ${offset - fullLineStart} characters before the cursor; kept the last ${MAX_CURSOR_LINE_CHARS}`);
    const linePrefix = text.slice(lineStart, offset);
    const prefixStart = lineStart > fullLineStart ? lineStart : this.prefixStart(key, text, lineStart, input.prefixTokens ?? DEFAULT_PREFIX_TOKENS, count);
    const startLine = cursorLine - countNewlines(text, prefixStart, lineStart);
    const suffixEnd = suffixEndOffset(text, offset, input.suffixTokens ?? DEFAULT_SUFFIX_TOKENS, count);
    const endLine = cursorLine + countNewlines(text, offset, suffixEnd) - (suffixEnd > offset && text[suffixEnd - 1] === "\n" ? 1 : 0);
    const prefix = text.slice(prefixStart, offset);
    const suffix = text.slice(offset, suffixEnd);

    // The syntax tree and what it says about the cursor.
    const parseStarted = performance.now();
    let tree: TreeSitter.Tree | undefined;
    try {
      const treeResult = await this.trees.lease(key, input.languageId, text, input.version);
      if (treeResult.tree) tree = treeResult.tree;
      else notes.push(`plain-text context: ${treeResult.reason}`);
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
      if (tree && input.files && this.parsers) candidates.push(...(await this.importedDefinitions(input, tree, cursorLine, notes)));
    } catch (error) {
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
    candidates.push(...this.similarCode(input, text, lineStart));
    const similarMs = performance.now() - similarStarted;

    const snippets = pack(dedupe(candidates, input.path, startLine, endLine), input.snippetBudgetTokens ?? input.snippetTokens ?? DEFAULT_SNIPPET_TOKENS, count);
    return {
      prefix,
      suffix,
      linePrefix,
      snippets,
      multiline: lineMode === "multi",
      lineMode,
      cursor: { inStringOrComment, scopes },
      window: { startLine, endLine, cursorLine },
      notes,
      timings: { parseMs: round(parseMs), scopeMs: round(scopeMs), importsMs: round(importsMs), similarMs: round(similarMs), totalMs: round(performance.now() - started) },
    };
  }

  /**
   * Where the prefix window starts: whole lines back from the cursor's line within the budget. The start is
   * kept from the last call while the window still fits and is at least half full, and a new start leaves a
   * quarter of the budget free, so typing moves it rarely and the prompt's prefix stays the same.
   */
  private prefixStart(key: string, text: string, lineStart: number, budget: number, count: (t: string) => number): number {
    const previous = this.anchors.get(key);
    if (previous !== undefined && previous <= lineStart && (previous === 0 || text[previous - 1] === "\n")) {
      const used = count(text.slice(previous, lineStart));
      if (used <= budget && (previous === 0 || used >= budget / 2)) return previous;
    }
    const fits = linesBackWithin(text, lineStart, budget, count) === 0;
    const start = fits ? 0 : linesBackWithin(text, lineStart, Math.floor(budget * 0.75), count);
    this.anchors.set(key, start);
    if (this.anchors.size > 256) this.anchors.delete(this.anchors.keys().next().value!);
    return start;
  }

  /** Definitions, in other workspace files, of imported symbols used near the cursor; closest use first. */
  private async importedDefinitions(input: ContextInput, tree: TreeSitter.Tree, cursorLine: number, notes: string[]): Promise<Candidate[]> {
    const imports = importsOf(this.parsers!, input.languageId, tree);
    if (imports.length === 0) return [];
    // The import statements name every import: a name seen only there (imported, not yet used) ranks after
    // every name really used near the cursor.
    const importLines = new Set<number>();
    for (const ref of imports) for (let line = ref.line; line <= (ref.endLine ?? ref.line); line++) importLines.add(line);
    const near = nearbyUsage(input.text, cursorLine, importLines);
    const request = { languageId: input.languageId, fromPath: input.path, fromText: input.text, files: input.files! };
    const out: Candidate[] = [];
    const seen = new Set<string>();
    let order = 0;
    for (const ref of imports) {
      if (ref.reexport) continue;
      if (ref.kind === "namespace" ? !near.members.has(ref.local) : wantedNames(ref, near).size === 0) continue;
      for (const resolved of await this.resolver.resolve(request, ref, near.identifiers.keys())) {
        const names = wantedNames(resolved.ref, near);
        if (names.size === 0) continue;
        for (const { file, definition, distance } of await this.findIn(input, resolved.file, names, resolved.ref, notes, 0)) {
          const id = `${file}:${definition.startLine}:${definition.endLine}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ path: file, startLine: definition.startLine, endLine: definition.endLine, reason: "imported-definition", symbol: definition.name, text: definition.text, order: distance * 1000 + order++ });
        }
      }
    }
    return out;
  }

  /** Definitions of `names` in `file`, following re-exports (`export … from`, a package's `__init__.py`) a few steps. */
  private async findIn(input: ContextInput, file: string, names: ReadonlyMap<string, number>, ref: ImportRef, notes: string[], depth: number): Promise<Array<{ file: string; definition: Definition; distance: number }>> {
    const facts = await this.factsOf(input, file, notes);
    if (!facts) return [];
    const out: Array<{ file: string; definition: Definition; distance: number }> = [];
    const missing = new Map<string, number>();
    const member = ref.member === true;
    for (const [name, distance] of names) {
      let found = false;
      for (const definition of facts.byName.get(name) ?? []) {
        if (member ? definition.container === undefined : definition.container !== undefined) continue;
        out.push({ file, definition, distance });
        found = true;
      }
      if (!found) missing.set(name, distance);
    }
    if (missing.size === 0 || depth >= 3) return out;
    // Not defined here: passed through from another module?
    const request = { languageId: facts.languageId, fromPath: file, fromText: facts.text, files: input.files! };
    const passesGlobals = /^(typescript|javascript|typescriptreact|javascriptreact|python)$/.test(facts.languageId);
    for (const through of facts.imports) {
      let inner: Map<string, number>;
      if (through.kind === "global") {
        if (!passesGlobals) continue;
        inner = missing;
      } else if ((through.kind === "named" || through.kind === "default") && missing.has(through.local)) {
        inner = new Map([[through.kind === "default" ? "default" : through.imported, missing.get(through.local)!]]);
      } else continue;
      if (inner.size === 0) continue;
      for (const resolved of await this.resolver.resolve(request, through)) {
        if (resolved.ref.kind === "namespace") continue;
        const found = await this.findIn(input, resolved.file, inner, resolved.ref, notes, depth + 1);
        out.push(...found);
        for (const f of found) if (through.kind === "global") missing.delete(f.definition.name);
      }
    }
    return out;
  }

  private async factsOf(input: ContextInput, file: string, notes: string[]): Promise<FileFacts | undefined> {
    const text = await input.files!.read(file);
    if (text === undefined) return undefined;
    const cached = this.fileFacts.get(file);
    if (cached && cached.text === text) {
      this.fileFacts.delete(file);
      this.fileFacts.set(file, cached);
      return cached;
    }
    const languageId = languageOfPath(file) ?? input.languageId;
    const refusal = parseRefusal(text);
    let definitions: Definition[] = [];
    let imports: ImportRef[] = [];
    if (refusal) notes.push(`${file} not parsed: ${refusal}`);
    else {
      const tree = await this.parsers!.parse(languageId, text);
      if (tree) {
        try {
          definitions = definitionsOf(tree, text);
          imports = importsOf(this.parsers!, languageId, tree);
        } finally {
          tree.delete();
        }
      }
    }
    const byName = new Map<string, Definition[]>();
    for (const definition of definitions) {
      for (const name of definition.isDefault ? [definition.name, "default"] : [definition.name]) {
        const list = byName.get(name);
        if (list) list.push(definition);
        else byName.set(name, [definition]);
      }
    }
    const facts: FileFacts = { text, languageId, definitions, byName, imports };
    this.fileFacts.set(file, facts);
    while (this.fileFacts.size > 300) this.fileFacts.delete(this.fileFacts.keys().next().value!);
    return facts;
  }

  /** The best-matching window of each other open document (same language family), best first. */
  private similarCode(input: ContextInput, text: string, lineStart: number): Candidate[] {
    const documents = input.openDocuments ?? [];
    if (documents.length === 0) return [];
    // The lines before the cursor's line: the same while the current line is typed.
    const targetStart = lineStartBefore(text, lineStart, SIMILAR_WINDOW_LINES);
    const targetText = text.slice(targetStart, lineStart);
    const target = identifierSet(targetText);
    if (target.size < 3) return [];
    const family = languageFamily(input.languageId);
    const found: Candidate[] = [];
    for (const doc of documents) {
      if (doc.path === input.path || doc.text.length > MAX_OPEN_DOCUMENT_CHARS || languageFamily(doc.languageId) !== family) continue;
      const window = this.similar.bestWindow(doc.path, doc.text, target, targetText, SIMILAR_WINDOW_LINES);
      if (window && window.score >= SIMILAR_MIN_SCORE) found.push({ path: doc.path, startLine: window.startLine, endLine: window.endLine, reason: "similar-code", text: window.text, order: 1 - window.score });
    }
    return found.sort((a, b) => a.order - b.order).slice(0, SIMILAR_MAX);
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

interface NearUsage {
  /** Identifiers on the lines around the cursor, with their distance in lines. */
  identifiers: Map<string, number>;
  /** `qualifier.member` / `qualifier::member` uses: qualifier → member → distance. */
  members: Map<string, Map<string, number>>;
}

/** Identifiers used within NEAR_LINES_BEFORE / NEAR_LINES_AFTER lines of the cursor (whole lines: the column does not matter). */
function nearbyUsage(text: string, cursorLine: number, importLines: ReadonlySet<number>): NearUsage {
  const first = Math.max(1, cursorLine - NEAR_LINES_BEFORE);
  let at = lineStartOfLine(text, first);
  const identifiers = new Map<string, number>();
  const members = new Map<string, Map<string, number>>();
  const chain = /[A-Za-z_$][\w$]*(?:\s*(?:\.|::|->)\s*[A-Za-z_$][\w$]*)*/g;
  for (let line = first; line <= cursorLine + NEAR_LINES_AFTER && at <= text.length; line++) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const distance = Math.abs(line - cursorLine) + (importLines.has(line) ? IMPORT_LINE_PENALTY : 0);
    for (const match of text.slice(at, end).matchAll(chain)) {
      const parts = match[0].split(/\s*(?:\.|::|->)\s*/);
      for (let i = 0; i < parts.length; i++) {
        if ((identifiers.get(parts[i]) ?? Infinity) > distance) identifiers.set(parts[i], distance);
        if (i === 0) continue;
        const qualifier = parts.slice(0, i).join(".");
        let map = members.get(qualifier);
        if (!map) members.set(qualifier, (map = new Map()));
        if ((map.get(parts[i]) ?? Infinity) > distance) map.set(parts[i], distance);
      }
    }
    if (end >= text.length) break;
    at = end + 1;
  }
  return { identifiers, members };
}

/** The names an import contributes near the cursor, with the distance of their closest use. */
function wantedNames(ref: ImportRef, near: NearUsage): Map<string, number> {
  const wanted = new Map<string, number>();
  switch (ref.kind) {
    case "named":
    case "default": {
      const distance = near.identifiers.get(ref.local);
      if (distance !== undefined) wanted.set(ref.kind === "default" ? "default" : ref.imported, distance);
      if (distance !== undefined && ref.kind === "default") wanted.set(ref.local, distance);
      break;
    }
    case "namespace":
      for (const [member, distance] of near.members.get(ref.local) ?? []) wanted.set(member, distance);
      break;
    case "global":
    case "package":
      for (const [name, distance] of near.identifiers) if (name.length > 1) wanted.set(name, distance);
      break;
  }
  return wanted;
}

/** Drops snippets inside the prompt's own window, overlapping a better one, or nearly the same text as a better one. */
function dedupe(candidates: Candidate[], path: string, windowStart: number, windowEnd: number): Candidate[] {
  const ranked = [...candidates].sort(byRank);
  const kept: Array<Candidate & { lines: Set<string> }> = [];
  for (const c of ranked) {
    if (c.path === path && c.reason !== "enclosing-scope" && c.startLine <= windowEnd && windowStart <= c.endLine) continue;
    const lines = lineSet(c.text);
    if (lines.size === 0) continue;
    const duplicate = kept.some((k) => (k.path === c.path && k.startLine <= c.endLine && c.startLine <= k.endLine) || jaccard(k.lines, lines) > 0.9);
    if (!duplicate) kept.push({ ...c, lines });
  }
  return kept;
}

function byRank(a: Candidate, b: Candidate): number {
  return RANK[a.reason] - RANK[b.reason] || a.order - b.order || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine);
}

/** Best first into the budget (a snippet that does not fit is skipped for smaller ones); then by path and line. */
function pack(ranked: Candidate[], budget: number, count: (t: string) => number): Snippet[] {
  const chosen: Snippet[] = [];
  let used = 0;
  for (const c of ranked) {
    const overhead = count(c.path) + 4;
    let text = c.text;
    let cost = count(text) + overhead;
    if (used + cost > budget && c.reason === "imported-definition" && budget - used - overhead > 40) {
      // The best-ranked definitions are worth their first lines.
      text = fitLines(text, budget - used - overhead, count);
      cost = count(text) + overhead;
    }
    if (used + cost > budget) continue;
    used += cost;
    chosen.push({ path: c.path, startLine: c.startLine, endLine: c.endLine, reason: c.reason, ...(c.symbol ? { symbol: c.symbol } : {}), text });
  }
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || a.endLine - b.endLine));
}

function fitLines(text: string, budget: number, count: (t: string) => number): string {
  const lines = text.split("\n");
  let used = count("…") + 1;
  let n = 0;
  while (n < lines.length && used + count(lines[n]) + 1 <= budget) used += count(lines[n++]) + 1;
  return n === 0 ? "" : `${lines.slice(0, n).join("\n")}\n…`;
}

/** The start of the earliest line such that the text from it to `lineStart` fits `budget`. */
function linesBackWithin(text: string, lineStart: number, budget: number, count: (t: string) => number): number {
  let start = lineStart;
  let used = 0;
  while (start > 0) {
    const previous = text.lastIndexOf("\n", start - 2) + 1;
    const cost = count(text.slice(previous, start));
    if (used + cost > budget) break;
    used += cost;
    start = previous;
  }
  return start;
}

/** The end of the suffix window: the rest of the cursor's line, then whole lines within the budget. */
function suffixEndOffset(text: string, offset: number, budget: number, count: (t: string) => number): number {
  let end = text.indexOf("\n", offset);
  if ((end < 0 ? text.length : end) - offset > MAX_CURSOR_LINE_CHARS) return offset + MAX_CURSOR_LINE_CHARS;
  if (end < 0) return text.length;
  end += 1;
  let used = count(text.slice(offset, end));
  while (end < text.length) {
    let next = text.indexOf("\n", end);
    next = next < 0 ? text.length : next + 1;
    const cost = count(text.slice(end, next));
    if (used + cost > budget) break;
    used += cost;
    end = next;
  }
  return end;
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

function languageFamily(languageId: string): string {
  if (/^(typescript|javascript)(react)?$/.test(languageId)) return "js";
  if (languageId === "c" || languageId === "cpp") return "c";
  return languageId;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function lineNumberAt(text: string, offset: number): number {
  return countNewlines(text, 0, offset) + 1;
}

function lineStartOfLine(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

/** The start of the line `lines` lines before the line starting at `lineStart`. */
function lineStartBefore(text: string, lineStart: number, lines: number): number {
  let at = lineStart;
  for (let i = 0; i < lines && at > 0; i++) at = text.lastIndexOf("\n", at - 2) + 1;
  return at;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
