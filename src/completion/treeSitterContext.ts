// The pipeline's context source backed by the tree-sitter context engine.
import type { ContextBuilder, OpenDocument } from "../context/buildContext";
import type { WorkspaceFiles } from "../context/imports";
import type { RecentChunks } from "../context/recentChunks";
import { trimToBlockEnd } from "../context/blockEnd";
import { estimateTokens } from "../context/tokens";
import type { CompletionContext, ContextSource, DocumentPosition, MultilineSetting } from "./pipeline";

export interface TreeSitterContextOptions {
  builder: ContextBuilder;
  files: WorkspaceFiles;
  openDocuments?: () => readonly OpenDocument[];
  recent?: RecentChunks;
  prefixTokens?: number;
  suffixTokens?: number;
  snippetTokens?: number;
}

export function treeSitterContext(options: TreeSitterContextOptions): ContextSource {
  return {
    async build(position: DocumentPosition, multilineSetting: MultilineSetting, tokenScale = 1): Promise<CompletionContext> {
      const built = await options.builder.build({
        path: position.relativePath,
        languageId: position.languageId,
        text: position.text,
        offset: position.offset,
        files: options.files,
        openDocuments: options.openDocuments?.(),
        recent: options.recent,
        prefixTokens: options.prefixTokens,
        suffixTokens: options.suffixTokens,
        snippetTokens: options.snippetTokens,
        countTokens: tokenScale === 1 ? undefined : (text) => Math.ceil(estimateTokens(text) * tokenScale),
      });
      const multiline = multilineSetting === "always" ? true : multilineSetting === "never" ? false : built.multiline;
      return {
        prefix: built.prefix,
        linePrefix: built.linePrefix,
        suffix: built.suffix,
        snippets: built.snippets,
        multiline,
        notes: built.notes,
        trimBlock: multiline ? (completion) => trimToBlockEnd(options.builder.parsers, position.languageId, position.text, position.offset, completion) : undefined,
      };
    },
  };
}
