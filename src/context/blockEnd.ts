// Trims a multi-line completion at the end of the block the cursor is in: parse the document up to the cursor
// with the completion after it, find the innermost block that was open at the cursor, and cut where it closes,
// so a suggestion never runs on past the enclosing body into code that is already there. A closing brace the
// document already has is left out; one it lacks is kept. Without a grammar, indentation decides.
// The text after the cursor is left out of that parse: it cannot change where the completion closes the
// block, and with the document's kept tree the parse then reuses everything before the cursor, so its cost
// does not grow with the file.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";
import { MAX_PARSE_CHARS, parseRefusal, pointAfter, pointAt } from "./documentTrees";
import { BODY_TYPES, hasGrammar, isIndentLanguage } from "./languages";

export interface BlockEndOptions {
  /** The syntax tree of `text` as it is (DocumentTrees keeps one): document and completion are then parsed incrementally from a copy of it. */
  documentTree?: TreeSitter.Tree;
}

export async function trimToBlockEnd(parsers: Parsers | undefined, languageId: string, text: string, offset: number, completion: string, options: BlockEndOptions = {}): Promise<string> {
  if (!completion.includes("\n")) return completion;
  if (parsers && hasGrammar(languageId) && parseable(text, offset, completion, options.documentTree)) {
    const tree = await parseMerged(parsers, languageId, text, offset, completion, options.documentTree);
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

/** Whether the text up to the cursor plus the completion may be parsed; with the document's tree, only the new lines are checked. */
function parseable(text: string, offset: number, completion: string, documentTree: TreeSitter.Tree | undefined): boolean {
  if (!documentTree || documentTree.rootNode.endIndex !== text.length) return !parseRefusal(text.slice(0, offset) + completion);
  if (offset + completion.length > MAX_PARSE_CHARS) return false;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return !parseRefusal(text.slice(lineStart, offset) + completion);
}

/**
 * The document up to the cursor and the completion. With the document's tree: the completion is an insertion
 * into a copy of it, and the parse is limited to the text before the insertion's end (tree-sitter's included
 * ranges), so the unchanged text before is reused and the text after is neither parsed nor walked. The parser
 * reads the two parts where they are: no string of the document up to the cursor is built.
 */
async function parseMerged(parsers: Parsers, languageId: string, text: string, offset: number, completion: string, documentTree: TreeSitter.Tree | undefined): Promise<TreeSitter.Tree | undefined> {
  if (!documentTree || documentTree.rootNode.endIndex !== text.length) return parsers.parse(languageId, text.slice(0, offset) + completion);
  const old = documentTree.copy();
  try {
    const near = documentTree.rootNode.descendantForIndex(offset, offset);
    const start = near && near.startIndex <= offset ? pointAt(text, offset, near.startPosition, near.startIndex) : pointAt(text, offset);
    const end = pointAfter(start, completion);
    const mergedLength = offset + completion.length;
    old.edit({ startIndex: offset, oldEndIndex: offset, newEndIndex: mergedLength, startPosition: start, oldEndPosition: start, newEndPosition: end });
    const read = (index: number) => (index < offset ? text.slice(index, offset) : completion.slice(index - offset));
    return await parsers.parse(languageId, read, old, { includedRanges: [{ startIndex: 0, endIndex: mergedLength, startPosition: { row: 0, column: 0 }, endPosition: end }] });
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
