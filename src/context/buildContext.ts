// The context of one completion: prefix and suffix windows, and snippets from other places ranked and
// packed into a token budget: definitions of imported symbols used near the cursor, the enclosing scopes
// the window cut off, recent edits, similar code in open files, recent views (DESIGN §3).
import { createHash } from "node:crypto";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { DocumentTrees } from "./documentTrees";
import { cursorFacts, type Scope } from "./cursorScope";
import { candidateFiles, importsOf, type ImportRef, type WorkspaceFiles } from "./imports";
import { definitionsOf, type Definition } from "./definitions";
import type { RecentChunks } from "./recentChunks";
import { bestWindow, identifierSet } from "./similarity";

export type SnippetReason = "imported-definition" | "enclosing-scope" | "recent-edit" | "similar-code" | "recent-view";

export interface Snippet {
  /** Workspace-relative, forward slashes. */
  path: string;
  startLine: number;
  endLine: number;
  reason: SnippetReason;
  symbol?: string;
  text: string;
}

export interface OpenDocument {
  path: string;
  languageId: string;
  text: string;
}

export interface ContextInput {
  /** Workspace-relative path of the file being edited. */
  path: string;
  languageId: string;
  text: string;
  offset: number;
  files: WorkspaceFiles;
  openDocuments?: readonly OpenDocument[];
  recent?: RecentChunks;
  prefixTokens?: number;
  suffixTokens?: number;
  snippetTokens?: number;
  countTokens?: (text: string) => number;
}

export interface BuiltContext {
  /** The file before the current line, within the prefix budget. */
  prefix: string;
  /** The current line before the cursor. */
  linePrefix: string;
  /** The rest of the current line and what follows, within the suffix budget. */
  suffix: string;
  snippets: Snippet[];
  multiline: boolean;
  cursor: { inStringOrComment: boolean; scopes: Scope[] };
  notes: string[];
  timings: { parseMs: number; importsMs: number; totalMs: number };
}

/** About 3.5 characters a token for code, newlines counted on their own. */
export function estimateTokens(text: string): number {
  let newlines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines++;
  return Math.ceil((text.length - newlines) / 3.5) + newlines;
}

const RANK: Record<SnippetReason, number> = { "imported-definition": 0, "enclosing-scope": 1, "recent-edit": 2, "similar-code": 3, "recent-view": 4 };

interface FileFacts {
  hash: string;
  definitions: Definition[];
}

export class ContextBuilder {
  readonly trees: DocumentTrees;
  /** Definitions per other file, by content hash: imported files are parsed once per version. */
  private readonly fileFacts = new Map<string, FileFacts>();

  constructor(readonly parsers: Parsers) {
    this.trees = new DocumentTrees(parsers);
  }

  async build(input: ContextInput): Promise<BuiltContext> {
    const started = performance.now();
    const count = input.countTokens ?? estimateTokens;
    const notes: string[] = [];
    const { text, offset } = input;
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const linePrefix = text.slice(lineStart, offset);
    const prefix = takeLinesBackward(text.slice(0, lineStart), input.prefixTokens ?? 1500, count);
    const suffix = takeLinesForward(text.slice(offset), input.suffixTokens ?? 300, count);
    const prefixStartLine = lineOf(text, lineStart - prefix.length);

    const parseStarted = performance.now();
    const treeResult = await this.trees.get(input.path, input.languageId, text);
    const parseMs = performance.now() - parseStarted;
    let scopes: Scope[] = [];
    let inStringOrComment = false;
    let multiline = linePrefix.trim() === "" && text.slice(offset, lineEndOf(text, offset)).trim() === "";
    if (treeResult.tree) {
      const facts = cursorFacts(treeResult.tree, text, offset);
      scopes = facts.scopes;
      inStringOrComment = facts.inStringOrComment;
      multiline = facts.multiline;
    } else {
      notes.push(`plain-text context: ${treeResult.reason}`);
    }

    const candidates: Snippet[] = [];
    for (const scope of scopes) {
      if (scope.startLine < prefixStartLine) {
        candidates.push({ path: input.path, startLine: scope.startLine, endLine: scope.startLine + scope.header.split("\n").length - 1, reason: "enclosing-scope", text: scope.header });
      }
    }

    const importsStarted = performance.now();
    if (treeResult.tree) candidates.push(...(await this.importedDefinitions(input, treeResult.tree, notes)));
    const importsMs = performance.now() - importsStarted;

    for (const chunk of input.recent?.list() ?? []) {
      if (chunk.path === input.path && chunk.endLine >= prefixStartLine) continue; // already in the window
      candidates.push({ path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, reason: chunk.kind, text: chunk.text });
    }

    const target = identifierSet(text.slice(Math.max(0, lineStart - 600), offset));
    for (const doc of input.openDocuments ?? []) {
      if (doc.path === input.path || doc.text.length > 500_000) continue;
      const window = bestWindow(doc.text, target);
      if (window && window.score >= 0.2) candidates.push({ path: doc.path, startLine: window.startLine, endLine: window.endLine, reason: "similar-code", text: window.text });
    }

    const snippets = pack(dedupe(candidates), input.snippetTokens ?? 600, count);
    return {
      prefix,
      linePrefix,
      suffix,
      snippets,
      multiline,
      cursor: { inStringOrComment, scopes },
      notes,
      timings: { parseMs: round(parseMs), importsMs: round(importsMs), totalMs: round(performance.now() - started) },
    };
  }

  /** Definitions, in other workspace files, of imported symbols used near the cursor. */
  private async importedDefinitions(input: ContextInput, tree: TreeSitter.Tree, notes: string[]): Promise<Snippet[]> {
    const imports = importsOf(input.languageId, tree);
    if (imports.length === 0) return [];
    const near = nearbyIdentifiers(input.text, input.offset);
    const used = imports.filter((ref) => ref.local === "*" || near.has(ref.local));
    const byFile = new Map<string, { refs: ImportRef[]; distance: number }>();
    for (const ref of used) {
      const file = await this.resolve(input, ref);
      if (!file) continue;
      const entry = byFile.get(file) ?? { refs: [], distance: Infinity };
      entry.refs.push(ref);
      entry.distance = Math.min(entry.distance, near.get(ref.local) ?? Infinity);
      byFile.set(file, entry);
    }
    const snippets: Snippet[] = [];
    for (const [file, { refs }] of byFile) {
      const source = await input.files.read(file);
      if (source === undefined) continue;
      const definitions = await this.definitionsIn(file, input.languageId, source, notes);
      // Whole-module imports (`import * as m`, Go packages, headers): the members used as `m.x` or bare `x`.
      const wanted = new Set<string>();
      for (const ref of refs) {
        if (ref.imported === "*" || ref.imported === "default") {
          for (const d of definitions) if (near.has(d.name) || (ref.imported === "default" && near.has(ref.local))) wanted.add(d.name);
        } else wanted.add(ref.imported);
      }
      for (const definition of definitions) {
        if (!wanted.has(definition.name)) continue;
        snippets.push({ path: file, startLine: definition.startLine, endLine: definition.endLine, reason: "imported-definition", symbol: definition.name, text: definition.text });
      }
    }
    // Symbols used closest to the cursor first.
    return snippets.sort((a, b) => (near.get(localName(a, used)) ?? 1e9) - (near.get(localName(b, used)) ?? 1e9));
  }

  private async resolve(input: ContextInput, ref: ImportRef): Promise<string | undefined> {
    for (const candidate of candidateFiles(input.languageId, input.path, ref.specifier)) {
      if (candidate.startsWith("@go-package:")) return this.resolveGoPackage(input, candidate.slice("@go-package:".length));
      if (candidate === input.path) continue;
      if ((await input.files.read(candidate)) !== undefined) return candidate;
    }
    return undefined;
  }

  private async resolveGoPackage(input: ContextInput, importPath: string): Promise<string | undefined> {
    const goMod = await input.files.read("go.mod");
    const module = goMod && /^module\s+(\S+)/m.exec(goMod)?.[1];
    if (!module || !importPath.startsWith(`${module}/`)) return undefined;
    const dir = importPath.slice(module.length + 1);
    const files = (await input.files.list?.(dir)) ?? [];
    return files.find((f) => f.endsWith(".go") && !f.endsWith("_test.go"));
  }

  private async definitionsIn(path: string, languageId: string, source: string, notes: string[]): Promise<Definition[]> {
    const hash = createHash("sha1").update(source).digest("base64");
    const cached = this.fileFacts.get(path);
    if (cached?.hash === hash) return cached.definitions;
    if (DocumentTrees.refusal(source)) {
      notes.push(`${path} not parsed: ${DocumentTrees.refusal(source)}`);
      return [];
    }
    const language = languageOfPath(path) ?? languageId;
    const tree = await this.parsers.parse(language, source);
    if (!tree) return [];
    try {
      const definitions = definitionsOf(tree, source);
      this.fileFacts.set(path, { hash, definitions });
      if (this.fileFacts.size > 500) this.fileFacts.delete(this.fileFacts.keys().next().value!);
      return definitions;
    } finally {
      tree.delete();
    }
  }
}

function localName(snippet: Snippet, refs: readonly ImportRef[]): string {
  return refs.find((r) => r.imported === snippet.symbol)?.local ?? snippet.symbol ?? "";
}

/** Identifiers within 40 lines before and 10 after the cursor, with their distance in lines. */
function nearbyIdentifiers(text: string, offset: number): Map<string, number> {
  const cursorLine = lineOf(text, offset);
  const start = lineStartAt(text, Math.max(1, cursorLine - 40));
  const end = lineStartAt(text, cursorLine + 11);
  const map = new Map<string, number>();
  let line = lineOf(text, start);
  let at = start;
  for (const segment of text.slice(start, end).split("\n")) {
    for (const match of segment.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const distance = Math.abs(line - cursorLine);
      if ((map.get(match[0]) ?? Infinity) > distance) map.set(match[0], distance);
    }
    at += segment.length + 1;
    line++;
  }
  return map;
}

function dedupe(snippets: Snippet[]): Snippet[] {
  const kept: Snippet[] = [];
  for (const s of snippets) {
    const duplicate = kept.some((k) => k.path === s.path && k.startLine <= s.endLine && s.startLine <= k.endLine);
    if (!duplicate) kept.push(s);
  }
  return kept;
}

/** Highest-ranked first into the budget; then ordered by path and line so the prompt block is stable. */
function pack(snippets: Snippet[], budget: number, count: (t: string) => number): Snippet[] {
  const ranked = snippets.map((s, i) => ({ s, i })).sort((a, b) => RANK[a.s.reason] - RANK[b.s.reason] || a.i - b.i);
  const chosen: Snippet[] = [];
  let used = 0;
  for (const { s } of ranked) {
    const cost = count(s.text) + 8;
    if (used + cost > budget) continue;
    chosen.push(s);
    used += cost;
  }
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine));
}

function takeLinesBackward(text: string, budget: number, count: (t: string) => number): string {
  if (count(text) <= budget) return text;
  const lines = text.split("\n");
  let used = 0;
  let first = lines.length;
  while (first > 0) {
    const cost = count(lines[first - 1]) + 1;
    if (used + cost > budget) break;
    used += cost;
    first--;
  }
  return lines.slice(first).join("\n");
}

function takeLinesForward(text: string, budget: number, count: (t: string) => number): string {
  if (count(text) <= budget) return text;
  const lines = text.split("\n");
  let used = 0;
  let last = 0;
  while (last < lines.length) {
    const cost = count(lines[last]) + 1;
    if (used + cost > budget && last > 0) break;
    used += cost;
    last++;
  }
  return lines.slice(0, last).join("\n") + (last < lines.length ? "\n" : "");
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function lineStartAt(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

function lineEndOf(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end < 0 ? text.length : end;
}

const EXTENSION_LANGUAGES: Record<string, string> = {
  ts: "typescript", tsx: "typescriptreact", js: "javascript", jsx: "javascriptreact", mjs: "javascript", cjs: "javascript",
  py: "python", go: "go", rs: "rust", java: "java", cc: "cpp", cpp: "cpp", cxx: "cpp", hpp: "cpp", hh: "cpp", h: "cpp", c: "c",
  cs: "csharp", rb: "ruby", php: "php", sh: "shellscript",
};

export function languageOfPath(path: string): string | undefined {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ? EXTENSION_LANGUAGES[ext] : undefined;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
