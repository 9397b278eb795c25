// Trims a multi-line completion at the end of the block the cursor is in: parse the document with the
// completion inserted, find the innermost block that was open at the cursor, and cut where it closes, so a
// suggestion never runs on past the enclosing body into code that is already there. A closing brace the
// document already has is left out; one it lacks is kept. Without a grammar, indentation decides.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { parseRefusal, pointAfter, pointAt } from "./documentTrees";
import { BODY_TYPES, hasGrammar, isIndentLanguage } from "./languages";

export interface BlockEndOptions {
  /** The syntax tree of `text` as it is (DocumentTrees keeps one): document and completion are then parsed incrementally from a copy of it. */
  documentTree?: TreeSitter.Tree;
}

export async function trimToBlockEnd(parsers: Parsers | undefined, languageId: string, text: string, offset: number, completion: string, options: BlockEndOptions = {}): Promise<string> {
  if (!completion.includes("\n")) return completion;
  const merged = text.slice(0, offset) + completion + text.slice(offset);
  if (parsers && hasGrammar(languageId) && !parseRefusal(merged)) {
    const tree = await parseMerged(parsers, languageId, merged, text, offset, completion, options.documentTree);
    if (tree) {
      try {
        const cut = await cutByTree(parsers, languageId, tree, text, offset, completion, options.documentTree);
        if (cut !== undefined) return completion.slice(0, cut).replace(/\s+$/, "");
        return completion;
      } finally {
        tree.delete();
      }
    }
  }
  return cutByIndentation(text, offset, completion);
}

/** The document with the completion inserted, incrementally from a copy of the document's tree when there is one. */
async function parseMerged(parsers: Parsers, languageId: string, merged: string, text: string, offset: number, completion: string, documentTree: TreeSitter.Tree | undefined): Promise<TreeSitter.Tree | undefined> {
  if (!documentTree || documentTree.rootNode.endIndex !== text.length) return parsers.parse(languageId, merged);
  const old = documentTree.copy();
  try {
    const start = pointAt(text, offset);
    old.edit({ startIndex: offset, oldEndIndex: offset, newEndIndex: offset + completion.length, startPosition: start, oldEndPosition: start, newEndPosition: pointAfter(start, completion) });
    return await parsers.parse(languageId, merged, old);
  } finally {
    old.delete();
  }
}

/** The innermost body around `offset` that was opened before it (by the document, not the completion). */
function openBlockAt(tree: TreeSitter.Tree, offset: number, probe: number, indentLanguage: boolean): TreeSitter.Node | undefined {
  for (let node: TreeSitter.Node | null = tree.rootNode.descendantForIndex(probe, probe); node?.parent; node = node.parent) {
    if (!BODY_TYPES.has(node.type) || node.type === "statement_list") continue;
    const opened = node.startIndex < offset || (indentLanguage && node.startIndex === offset);
    if (opened && node.endIndex >= probe) return node;
  }
  return undefined;
}

async function cutByTree(parsers: Parsers, languageId: string, tree: TreeSitter.Tree, text: string, offset: number, completion: string, documentTree: TreeSitter.Tree | undefined): Promise<number | undefined> {
  const indentLanguage = isIndentLanguage(languageId);
  const lead = completion.search(/\S/);
  if (lead < 0) return undefined;
  const block = openBlockAt(tree, offset, offset + lead, indentLanguage);
  if (!block) return undefined;
  const end = block.endIndex - offset;
  if (end <= lead || end > completion.length) return undefined; // closes after the completion: nothing to cut
  const close = block.lastChild;
  if (!indentLanguage && close && !close.isNamed && /^[}\])]$|^end$/.test(close.type) && !close.isMissing) {
    // The completion closes the block. Keep its closer only if the document has none of its own.
    return (await documentCloses(parsers, languageId, text, offset, indentLanguage, documentTree)) ? close.startIndex - offset : end;
  }
  return end;
}

/** Whether the document (without the completion) closes the block open at the cursor. */
async function documentCloses(parsers: Parsers, languageId: string, text: string, offset: number, indentLanguage: boolean, documentTree: TreeSitter.Tree | undefined): Promise<boolean> {
  const tree = documentTree ?? (await parsers.parse(languageId, text));
  if (!tree) return true;
  try {
    const block = openBlockAt(tree, offset, Math.min(offset, Math.max(0, text.length - 1)), indentLanguage);
    const close = block?.lastChild;
    return !!close && !close.isNamed && !close.isMissing && close.startIndex >= offset && /^[}\])]$|^end$/.test(close.type);
  } finally {
    if (!documentTree) tree.delete();
  }
}

/** Cuts before the first line indented less than the cursor's line. */
export function cutByIndentation(text: string, offset: number, completion: string): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const cursorIndent = /^[ \t]*/.exec(text.slice(lineStart, offset))![0].length;
  if (cursorIndent === 0) return completion;
  const lines = completion.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const indent = /^[ \t]*/.exec(lines[i])![0].length;
    if (indent < cursorIndent) return lines.slice(0, i).join("\n").replace(/\s+$/, "");
  }
  return completion;
}
