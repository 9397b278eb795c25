// What the syntax tree says about the cursor: the scopes around it (outermost first), whether it sits in a
// string or a comment, and whether a multi-line suggestion fits there.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { BODY_TYPES, SCOPE_TYPES, isCommentType, isIndentLanguage, isInterpolationType, isStringOrCommentType } from "./languages";

export interface Scope {
  /** The declaration's node type: function_declaration, class_definition, impl_item, … */
  type: string;
  name?: string;
  /** The declaration from its first line up to the body's opening: `export function total(items: Item[]): number {`. */
  header: string;
  /** 1-based lines of the whole declaration. */
  startLine: number;
  endLine: number;
  /** 1-based line where the header ends (the body opens). */
  headerEndLine: number;
  startOffset: number;
  bodyStartOffset: number;
}

export type LineMode = "multi" | "single";

export interface CursorFacts {
  /** Enclosing scopes, outermost first. */
  scopes: Scope[];
  inStringOrComment: boolean;
  /** "multi" on an empty line inside a body or right after opening an empty block; "single" elsewhere. */
  lineMode: LineMode;
}

const MAX_HEADER_CHARS = 600;

/** Python statements that open a block with `:`. */
const PY_COMPOUND = /^(function_definition|class_definition|if_statement|elif_clause|else_clause|for_statement|while_statement|with_statement|try_statement|except_clause|finally_clause|match_statement|case_clause|decorated_definition)$/;

export function cursorFacts(tree: TreeSitter.Tree, text: string, offset: number, languageId = ""): CursorFacts {
  const line = lineAround(text, offset);
  const blankBefore = line.before.trim() === "";
  const indentLanguage = isIndentLanguage(languageId) || (languageId === "" && tree.rootNode.type === "module");
  const anchor = anchorNode(tree, text, offset, indentLanguage && blankBefore);
  const inStringOrComment = stringOrCommentAt(tree, text, offset);
  const scopes = scopesAt(anchor, text, offset, indentLanguage && blankBefore ? line.before.length : undefined);
  const lineMode = inStringOrComment ? "single" : lineModeAt(tree, text, offset, line, anchor, indentLanguage);
  return { scopes, inStringOrComment, lineMode };
}

interface LineParts {
  start: number;
  end: number;
  before: string;
  after: string;
}

function lineAround(text: string, offset: number): LineParts {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let end = text.indexOf("\n", offset);
  if (end < 0) end = text.length;
  const lineEnd = end > start && text[end - 1] === "\r" ? end - 1 : end;
  return { start, end, before: text.slice(start, offset), after: text.slice(offset, Math.max(offset, lineEnd)) };
}

/**
 * The node the cursor belongs to. On a blank line in an indentation language the tree has nothing there
 * (blocks end at their last statement), so the last code before the cursor stands in for it.
 */
function anchorNode(tree: TreeSitter.Tree, text: string, offset: number, blankIndentLine: boolean): TreeSitter.Node {
  const root = tree.rootNode;
  if (blankIndentLine) {
    let p = offset - 1;
    while (p >= 0 && /\s/.test(text[p])) p--;
    if (p < 0) return root;
    return root.descendantForIndex(p, p + 1) ?? root;
  }
  return root.descendantForIndex(Math.max(0, offset - 1), offset) ?? root;
}

/** Inside a string or comment (the cursor strictly inside it, or at the end of a line comment). */
export function stringOrCommentAt(tree: TreeSitter.Tree, text: string, offset: number): boolean {
  for (let node: TreeSitter.Node | null = tree.rootNode.descendantForIndex(Math.max(0, offset - 1), offset); node; node = node.parent) {
    if (isInterpolationType(node.type) && node.startIndex < offset && offset < node.endIndex) return false;
    if (!isStringOrCommentType(node.type)) continue;
    if (node.startIndex < offset && offset < node.endIndex) return true;
    // A line comment runs to the end of its line: the cursor at its end is still in it.
    if (offset === node.endIndex && isCommentType(node.type) && !/\*\/$|-->$|=end$/.test(node.text) && !text.slice(node.endIndex - 1, node.endIndex).includes("\n")) return true;
    // An unterminated string at the end of the line.
    if (offset === node.endIndex && !isCommentType(node.type) && (node.hasError || node.lastChild?.isMissing === true)) return true;
  }
  return false;
}

function scopesAt(anchor: TreeSitter.Node, text: string, offset: number, blankIndent: number | undefined): Scope[] {
  const scopes: Scope[] = [];
  for (let node: TreeSitter.Node | null = anchor; node; node = node.parent) {
    if (!node.parent || !SCOPE_TYPES.has(node.type)) continue;
    const body = bodyOf(node);
    if (!body) continue;
    if (blankIndent !== undefined) {
      // A blank line in Python: inside when indented deeper than the declaration.
      if (node.startPosition.column >= blankIndent) continue;
    } else {
      const opensWithBrace = text[body.startIndex] === "{";
      if (opensWithBrace ? offset <= body.startIndex || offset >= body.endIndex : offset < body.startIndex) continue;
    }
    scopes.unshift(scopeOf(node, body, text));
  }
  return scopes;
}

export function bodyOf(node: TreeSitter.Node): TreeSitter.Node | undefined {
  const body = node.childForFieldName("body");
  if (body) return body;
  for (const child of node.namedChildren) if (child && BODY_TYPES.has(child.type)) return child;
  return undefined;
}

function scopeOf(node: TreeSitter.Node, body: TreeSitter.Node, text: string): Scope {
  const lineStart = text.lastIndexOf("\n", node.startIndex - 1) + 1;
  const headerStart = lineStart + (/^[ \t]*/.exec(text.slice(lineStart, node.startIndex))?.[0].length ?? 0);
  const opensWithBrace = text[body.startIndex] === "{";
  let header = text.slice(headerStart, opensWithBrace ? body.startIndex + 1 : body.startIndex).trimEnd();
  if (header.length > MAX_HEADER_CHARS) header = `${header.slice(0, MAX_HEADER_CHARS)}…`;
  const headerEndRow = opensWithBrace ? body.startPosition.row : node.startPosition.row + header.split("\n").length - 1;
  return {
    type: node.type,
    name: node.childForFieldName("name")?.text,
    header,
    startLine: node.startPosition.row + 1,
    endLine: node.endPosition.row + 1,
    headerEndLine: headerEndRow + 1,
    startOffset: headerStart,
    bodyStartOffset: body.startIndex,
  };
}

function lineModeAt(tree: TreeSitter.Tree, text: string, offset: number, line: LineParts, anchor: TreeSitter.Node, indentLanguage: boolean): LineMode {
  const blank = line.before.trim() === "" && line.after.trim() === "";
  if (blank) {
    if (indentLanguage) {
      // Inside a body when indented deeper than some enclosing statement that has one.
      const indent = line.before.length;
      if (indent === 0) return "single";
      for (let node: TreeSitter.Node | null = anchor; node?.parent; node = node.parent) {
        if (node.startPosition.column < indent && (PY_COMPOUND.test(node.type) || node.type === "block")) return "multi";
      }
      return "single";
    }
    for (let node: TreeSitter.Node | null = tree.rootNode.descendantForIndex(offset, offset); node?.parent; node = node.parent) {
      if (BODY_TYPES.has(node.type) && node.startIndex < offset && offset < node.endIndex) return "multi";
    }
    return "single";
  }
  // Right after opening a block that is still empty: `{` with only closers after it, or Python's `:`.
  if (!/^\s*[)\]}]*\s*[;,]?\s*$/.test(line.after)) return "single";
  const typed = line.before.trimEnd();
  const opener = line.start + typed.length - 1;
  if (typed.endsWith("{")) {
    const brace = tree.rootNode.descendantForIndex(opener, opener + 1);
    const block = brace?.type === "{" ? brace.parent : undefined;
    if (block && block.type !== "ERROR") {
      if (!BODY_TYPES.has(block.type)) return "single";
      const empty = block.namedChildren.every((c) => !c || isCommentType(c.type));
      return empty ? "multi" : "single";
    }
    // An unclosed brace the grammar could not place: empty when nothing but closers follow.
    return /^\s*(}|$)/.test(text.slice(offset)) ? "multi" : "single";
  }
  if (indentLanguage && typed.endsWith(":")) {
    const colon = tree.rootNode.descendantForIndex(opener, opener + 1);
    const statement = colon?.type === ":" ? colon.parent : undefined;
    if (!statement || !PY_COMPOUND.test(statement.type)) return "single";
    const body = statement.childForFieldName("body") ?? statement.childForFieldName("consequence") ?? statement.namedChildren.find((c) => c?.type === "block");
    if (body && body.endIndex > body.startIndex && body.startIndex >= offset) {
      // The body is on later lines: empty only if those lines are not indented deeper.
      const next = /\n([ \t]*)\S/.exec(text.slice(offset));
      const indent = /^[ \t]*/.exec(line.before)![0].length;
      return next && next[1].length > indent ? "single" : "multi";
    }
    return "multi";
  }
  return "single";
}
