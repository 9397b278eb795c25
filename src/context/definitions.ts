// Top-level definitions of a file, read with tree-sitter: what an importing file needs to see of them.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";

export interface Definition {
  name: string;
  kind: string;
  startLine: number;
  endLine: number;
  /** The definition as it should appear in a prompt: whole when short, its signature otherwise. */
  text: string;
}

const DECLARATIONS = new Set([
  // TypeScript / JavaScript
  "function_declaration", "generator_function_declaration", "class_declaration", "abstract_class_declaration",
  "interface_declaration", "type_alias_declaration", "enum_declaration", "lexical_declaration", "variable_declaration",
  // Python
  "function_definition", "class_definition", "decorated_definition",
  // Go
  "method_declaration", "type_declaration", "const_declaration", "var_declaration",
  // Rust
  "function_item", "struct_item", "enum_item", "trait_item", "type_item", "const_item", "static_item", "impl_item",
  // Java / C++
  "class_specifier", "struct_specifier", "declaration", "template_declaration", "field_declaration",
  "method_declaration", "constructor_declaration",
]);

const CONTAINERS = new Set(["export_statement", "namespace_definition", "declaration_list", "class_body", "program", "source_file", "module", "translation_unit", "preproc_ifdef", "preproc_if"]);

const SHORT = 14;

/** The names a declaration node defines. */
function namesOf(node: TreeSitter.Node): string[] {
  const direct = node.childForFieldName("name");
  if (direct) return [direct.text.replace(/^.*::/, "")];
  if (node.type === "decorated_definition") {
    const inner = node.childForFieldName("definition");
    return inner ? namesOf(inner) : [];
  }
  if (node.type === "lexical_declaration" || node.type === "variable_declaration") {
    return node.namedChildren.filter((c) => c?.type === "variable_declarator").map((c) => c!.childForFieldName("name")?.text ?? "").filter(Boolean);
  }
  if (node.type === "type_declaration" || node.type === "const_declaration" || node.type === "var_declaration") {
    return node.namedChildren.map((c) => c?.childForFieldName("name")?.text ?? "").filter(Boolean);
  }
  if (node.type === "impl_item") {
    const type = node.childForFieldName("type")?.text;
    return type ? [type] : [];
  }
  if (node.type === "declaration" || node.type === "field_declaration") {
    const declarator = node.childForFieldName("declarator");
    const id = declarator?.descendantsOfType(["identifier", "field_identifier"])[0]?.text;
    return id ? [id] : [];
  }
  if (node.type === "template_declaration") {
    const inner = node.namedChildren.find((c) => c && DECLARATIONS.has(c.type));
    return inner ? namesOf(inner) : [];
  }
  return [];
}

/** Short definitions whole; long ones as their signature (header up to the body) plus member signatures. */
function promptText(node: TreeSitter.Node, source: string): string {
  const text = source.slice(node.startIndex, node.endIndex);
  const lines = text.split("\n");
  if (lines.length <= SHORT) return text;
  const body = node.childForFieldName("body") ?? node.descendantsOfType(["class_body", "block", "statement_block", "declaration_list", "field_declaration_list", "interface_body"])[0] ?? null;
  if (!body) return `${lines.slice(0, SHORT).join("\n")}\n…`;
  const header = source.slice(node.startIndex, body.startIndex + 1);
  const members = body.namedChildren
    .filter((c): c is TreeSitter.Node => !!c && !/comment/.test(c.type))
    .map((c) => {
      const inner = c.childForFieldName("body");
      const signature = inner ? source.slice(c.startIndex, inner.startIndex).trimEnd() : source.slice(c.startIndex, c.endIndex).split("\n")[0];
      return `${" ".repeat(c.startPosition.column)}${signature.trim()}`;
    });
  const isContainer = /class|interface|struct|impl|trait|enum/.test(node.type) || /class|interface|struct|impl|trait|enum/.test(body.type);
  if (isContainer && members.length) return `${header}\n${members.slice(0, 30).join("\n")}\n${" ".repeat(node.startPosition.column)}…`;
  return `${header} … }`.replace(/:\s*… }$/, ": …");
}

/** Definitions in `tree`, keeping only `names` when given. */
export function definitionsOf(tree: TreeSitter.Tree, source: string, names?: ReadonlySet<string>): Definition[] {
  const found: Definition[] = [];
  const visit = (node: TreeSitter.Node, depth: number) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (DECLARATIONS.has(child.type)) {
        const childNames = namesOf(child);
        const wanted = names ? childNames.filter((n) => names.has(n)) : childNames;
        for (const name of wanted.slice(0, 1)) {
          // Show `export` and a doc comment right above, as the author wrote them.
          const outer = node.type === "export_statement" ? node : child;
          const comment = outer.previousNamedSibling;
          const withComment = comment && /comment/.test(comment.type) && comment.endPosition.row >= outer.startPosition.row - 1 ? comment : undefined;
          const text = promptText(child, source);
          const lead = source.slice((withComment ?? outer).startIndex, child.startIndex);
          found.push({
            name,
            kind: child.type,
            startLine: (withComment ?? outer).startPosition.row + 1,
            endLine: child.endPosition.row + 1,
            text: lead + text,
          });
        }
        if (depth < 2 && /namespace|class_specifier|impl_item/.test(child.type)) {
          const body = child.childForFieldName("body");
          if (body) visit(body, depth + 1);
        }
      } else if (CONTAINERS.has(child.type) && depth < 3) {
        visit(child, depth + 1);
      }
    }
  };
  visit(tree.rootNode, 0);
  return found;
}
