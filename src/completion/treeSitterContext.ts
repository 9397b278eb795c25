// The pipeline's context source backed by the tree-sitter context engine.
import type { ContextBuilder } from "../context/buildContext";
import type { ContextBudget } from "../context/budget";
import type { WorkspaceFiles } from "../context/imports";
import type { RecentChunks } from "../context/recentChunks";
import { estimateTokens } from "../context/tokens";
import type { OpenDocument } from "../context/types";
import type { CompletionContext, ContextSource, DocumentPosition, MultilineSetting } from "./pipeline";

export interface TreeSitterContextOptions {
  builder: ContextBuilder;
  /** The workspace folder of the document (multi-root: each document's own). */
  files: WorkspaceFiles | ((position: DocumentPosition) => WorkspaceFiles | undefined);
  openDocuments?: (position: DocumentPosition) => readonly OpenDocument[];
  recent?: RecentChunks;
}

export function treeSitterContext(options: TreeSitterContextOptions): ContextSource {
  return {
    async build(position: DocumentPosition, multilineSetting: MultilineSetting, tokenScale = 1, budget?: ContextBudget): Promise<CompletionContext> {
      const document = { key: position.key, path: position.relativePath, languageId: position.languageId, text: position.text, offset: position.offset, version: position.version };
      const built = await options.builder.context({
        ...document,
        files: typeof options.files === "function" ? options.files(position) : options.files,
        openDocuments: options.openDocuments?.(position),
        recent: options.recent,
        prefixTokens: budget?.prefixTokens,
        suffixTokens: budget?.suffixTokens,
        snippetBudgetTokens: budget?.snippetTokens,
        countTokens: tokenScale === 1 ? undefined : (text: string) => Math.ceil(estimateTokens(text) * tokenScale),
      });
      const multiline = multilineSetting === "always" ? true : multilineSetting === "never" ? false : built.multiline;
      return {
        prefix: built.prefix.slice(0, built.prefix.length - built.linePrefix.length),
        linePrefix: built.linePrefix,
        suffix: built.suffix,
        snippets: built.snippets,
        multiline,
        notes: built.notes,
        trimBlock: multiline ? (completion) => options.builder.trimToBlockEnd(document, completion) : undefined,
      };
    },
  };
}
