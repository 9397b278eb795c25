// The code-context engine's public surface (pure TypeScript, no `vscode`): the completion pipeline, the VS Code
// adapter and `freehold context` use these.
export { createParsers, Parsers, type CreateParsersOptions } from "./parsers";
export {
  ContextBuilder,
  buildContext,
  type ContextInput,
  type ContextResult,
  type BuiltContext,
  type ContextTimings,
  type OpenDocument,
  type Snippet,
  type SnippetReason,
  DEFAULT_PREFIX_TOKENS,
  DEFAULT_SUFFIX_TOKENS,
  DEFAULT_SNIPPET_TOKENS,
} from "./buildContext";
export { DocumentTrees, parseRefusal, type TextEdit, type ContentChange, type TreeResult, MAX_PARSE_CHARS, MAX_LINE } from "./documentTrees";
export { cursorFacts, type CursorFacts, type Scope, type LineMode } from "./cursorScope";
export { importsOf, type ImportRef, type ImportKind, type WorkspaceFiles } from "./imports";
export { ImportResolver } from "./resolve";
export { definitionsOf, type Definition, type DefinitionKind } from "./definitions";
export { RecentChunks, type RecentChunk, type RecentChunkInput, type RecentKind } from "./recentChunks";
export { bestWindow, identifierSet, jaccard, lineSet, SimilarityIndex, type Window } from "./similarity";
export { trimToBlockEnd, cutByIndentation, type BlockEndOptions } from "./blockEnd";
export { estimateTokens } from "./tokens";
export { languageOfPath, hasGrammar, GRAMMAR_FILES } from "./languages";
export { diskFiles } from "./fsFiles";
