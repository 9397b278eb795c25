// What the syntax tree says about the cursor: the scopes around it, whether it sits in a string or a
// comment, and whether a multi-line suggestion fits there.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";

/** Node types that open a scope worth naming in the prompt (functions, methods, classes, …) across grammars. */
const SCOPE_TYPES = new Set([
  "function_declaration", "function_definition", "function_item", "method_definition", "method_declaration",
  "function_expression", "arrow_function", "generator_function_declaration", "class_declaration", "class_definition",
  "class_specifier", "struct_specifier", "interface_declaration", "impl_item", "trait_item", "mod_item", "struct_item",
  "enum_declaration", "constructor_declaration", "abstract_class_declaration", "namespace_definition", "module",
  "internal_module", "func_literal", "type_declaration", "object_type", "class", "method", "singleton_method",
]);

const BODY_TYPES = new Set([
  "statement_block", "block", "class_body", "compound_statement", "declaration_list", "field_declaration_list",
  "interface_body", "enum_body", "object_type", "body", "switch_body", "do_block", "constructor_body",
]);

const STRING_OR_COMMENT = /(^|_)(string|comment|template_string|string_fragment|raw_string_literal|heredoc_body|char_literal)($|_)/;

export interface Scope {
  type: string;
  /** The declaration up to its body: `export function total(items: Item[]): number {` */
  header: string;
  startLine: number;
  endLine: number;
  startOffset: number;
  bodyStartOffset: number;
}

export interface CursorFacts {
  scopes: Scope[];
  inStringOrComment: boolean;
  multiline: boolean;
}

export function cursorFacts(tree: TreeSitter.Tree, text: string, offset: number): CursorFacts {
  const node = tree.rootNode.descendantForIndex(Math.max(0, offset - 1), offset);
  const scopes: Scope[] = [];
  let inStringOrComment = false;
  for (let current: TreeSitter.Node | null = node; current; current = current.parent) {
    if (STRING_OR_COMMENT.test(current.type) && current.startIndex < offset && offset < current.endIndex) inStringOrComment = true;
    if (SCOPE_TYPES.has(current.type) && current.startIndex < offset) {
      const body = current.childForFieldName("body") ?? current.namedChildren.find((c) => c && BODY_TYPES.has(c.type)) ?? null;
      const bodyStart = body ? body.startIndex : current.endIndex;
      if (bodyStart >= offset && body) continue; // the cursor is in the header itself, not inside the scope
      const outer = current.parent?.type === "export_statement" || current.parent?.type === "decorated_definition" ? current.parent : current;
      const header = text.slice(outer.startIndex, body ? Math.min(bodyStart + 1, current.endIndex) : lineEnd(text, current.startIndex)).trimEnd();
      scopes.unshift({
        type: current.type,
        header: header.length > 400 ? `${header.slice(0, 400)}…` : header,
        startLine: outer.startPosition.row + 1,
        endLine: current.endPosition.row + 1,
        startOffset: outer.startIndex,
        bodyStartOffset: bodyStart,
      });
    }
  }
  return { scopes, inStringOrComment, multiline: multilineAt(tree, text, offset) };
}

/**
 * Multi-line when the cursor is on an otherwise empty line inside a body, or right after a block opener
 * with nothing but closers after it; single-line elsewhere.
 */
export function multilineAt(tree: TreeSitter.Tree, text: string, offset: number): boolean {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = lineEnd(text, offset);
  const before = text.slice(start, offset);
  const after = text.slice(offset, end);
  if (before.trim() === "" && after.trim() === "") {
    // An empty line: multi-line inside a block or at the top level between declarations.
    const node = tree.rootNode.descendantForIndex(offset);
    for (let current: TreeSitter.Node | null = node; current; current = current.parent) {
      if (BODY_TYPES.has(current.type) || current.type === "program" || current.type === "module" || current.type === "source_file" || current.type === "translation_unit") return true;
    }
    return false;
  }
  // Just opened a block: `{` or `:` (Python) at the end of what was typed, only closers after.
  return /[{:]\s*$/.test(before) && /^[\s)}\]]*;?$/.test(after) && after.length <= 3;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end < 0 ? text.length : end;
}
