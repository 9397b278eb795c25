// The context engine's input and output shapes.
import type { LineMode, Scope } from "./cursorScope";
import type { WorkspaceFiles } from "./imports";
import type { RecentChunk, RecentChunks } from "./recentChunks";

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
  /**
   * The document's identity across keystrokes (the editor's uri, an absolute path): keys its syntax tree and
   * prefix anchor. `path` when absent — two workspace folders' `src/index.ts` then share them.
   */
  key?: string;
  /** The document's version: an unchanged version skips even the text comparison. */
  version?: number;
  /** Reads the document's own workspace folder for import resolution; without it no imported definitions. */
  files?: WorkspaceFiles;
  /** Other open documents, searched for similar code. */
  openDocuments?: readonly OpenDocument[];
  /** Recently edited and viewed chunks. */
  recent?: RecentChunks | readonly RecentChunk[];
  /** The lines before the cursor and the cursor's line up to it, in tokens (default DEFAULTS.context.prefixTokens). */
  prefixTokens?: number;
  /** Suffix window from the cursor on, in tokens (default DEFAULTS.context.suffixTokens). */
  suffixTokens?: number;
  /** Budget of all snippets together, in tokens (default DEFAULTS.context.snippetTokens). */
  snippetBudgetTokens?: number;
  /** A real token counter; `estimateTokens` otherwise. */
  countTokens?: (text: string) => number;
}

export interface ContextTimings {
  /** The prefix and suffix windows (line numbers, the kept prefix start). */
  windowsMs: number;
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

/** A snippet before packing, with its rank within its reason (lower first). */
export interface Candidate extends Snippet {
  order: number;
}
