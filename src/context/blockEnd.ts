// Trims a multi-line completion at the end of the block the cursor is in: parse the document with the
// completion inserted and cut where the enclosing block closes, so a suggestion never runs on into the
// code after it. Unknown languages fall back to indentation.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";

const BLOCKS = new Set(["statement_block", "block", "class_body", "compound_statement", "declaration_list", "field_declaration_list", "interface_body", "object", "array", "arguments", "switch_body", "object_type"]);

export async function trimToBlockEnd(parsers: Parsers | undefined, languageId: string, text: string, offset: number, completion: string): Promise<string> {
  if (!completion.includes("\n")) return completion;
  const merged = text.slice(0, offset) + completion + text.slice(offset);
  const tree = parsers ? await parsers.parse(languageId, merged) : undefined;
  if (tree) {
    try {
      const cut = cutByTree(tree, offset, completion.length);
      if (cut !== undefined) return completion.slice(0, cut).replace(/\s+$/, "");
    } finally {
      tree.delete();
    }
  }
  return cutByIndentation(text, offset, completion);
}

/** The end (within the completion) of the smallest block that encloses the cursor, if it ends inside the completion. */
function cutByTree(tree: TreeSitter.Tree, offset: number, length: number): number | undefined {
  let node: TreeSitter.Node | null = tree.rootNode.descendantForIndex(offset, offset);
  while (node && !(BLOCKS.has(node.type) && node.startIndex < offset && node.endIndex > offset)) node = node.parent;
  if (!node || node.hasError) {
    // Python and other indentation grammars: the enclosing `block` ends where dedent starts.
    return undefined;
  }
  const end = node.endIndex - offset;
  if (end > 0 && end < length) {
    // Keep the closing bracket of the block only when the document did not already have it after the cursor.
    return end - 1;
  }
  return undefined;
}

function cutByIndentation(text: string, offset: number, completion: string): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const cursorIndent = /^[ \t]*/.exec(text.slice(lineStart, offset))![0].length;
  const lines = completion.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const indent = /^[ \t]*/.exec(lines[i])![0].length;
    if (indent < cursorIndent) return lines.slice(0, i).join("\n").replace(/\s+$/, "");
  }
  return completion;
}
