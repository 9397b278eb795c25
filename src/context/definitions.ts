// The top-level definitions of a file, read with tree-sitter, as an importing file's prompt should see them:
// functions as their signature (whole when short), types and interfaces with their body, classes as their
// header and member signatures, constants whole when short. Doc comments right above come along.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { BODY_TYPES, isCommentType } from "./languages";

export type DefinitionKind = "function" | "class" | "type" | "constant" | "impl";

export interface Definition {
  name: string;
  kind: DefinitionKind;
  /** The declaration's node type. */
  nodeType: string;
  /** 1-based, inclusive: the lines the definition (with its doc comment) covers in its file. */
  startLine: number;
  endLine: number;
  /** What the prompt shows. */
  text: string;
  /** `export default …` */
  isDefault?: boolean;
  /** The class (Java members) or receiver type (Go methods) a member belongs to. */
  container?: string;
}

/** Definitions up to these many lines are shown whole. */
const WHOLE_LINES: Record<DefinitionKind, number> = { function: 8, class: 12, type: 40, constant: 6, impl: 12 };
const MAX_MEMBERS = 40;
const MAX_COMMENT_LINES = 12;

const FUNCTION_TYPES = new Set([
  "function_declaration", "generator_function_declaration", "function_signature", "function_definition", "function_item",
  "function_signature_item", "method_declaration", "constructor_declaration", "method", "singleton_method",
  "method_definition", "abstract_method_signature", "method_signature", "preproc_function_def", "local_function_statement",
]);
const CLASS_TYPES = new Set([
  "class_declaration", "abstract_class_declaration", "class_definition", "class_specifier", "class", "module",
  "internal_module", "trait_declaration", "object_declaration",
]);
const TYPE_TYPES = new Set([
  "interface_declaration", "type_alias_declaration", "enum_declaration", "struct_item", "enum_item", "union_item",
  "trait_item", "type_item", "type_spec", "type_alias", "struct_specifier", "union_specifier", "enum_specifier",
  "type_definition", "struct_declaration", "record_declaration", "alias_declaration", "annotation_type_declaration",
]);
const CONSTANT_TYPES = new Set([
  "lexical_declaration", "variable_declaration", "const_item", "static_item", "const_spec", "var_spec",
  "declaration", "preproc_def", "expression_statement", "field_declaration", "constant_declaration",
]);
const GO_GROUPS = new Set(["type_declaration", "const_declaration", "var_declaration"]);

/** Nodes whose children are more top-level declarations. */
const CONTAINERS = new Set([
  "namespace_definition", "linkage_specification", "preproc_ifdef", "preproc_if", "preproc_else", "preproc_elif",
  "namespace_declaration", "file_scoped_namespace_declaration", "declaration_list", "compilation_unit", "program", "module", "source_file", "translation_unit",
]);

interface Classified {
  kind: DefinitionKind;
  names: string[];
  /** The declaration (inside wrappers such as `export`, decorators, `template<…>`). */
  decl: TreeSitter.Node;
  body?: TreeSitter.Node;
  isDefault?: boolean;
}

/** Python statements at a module's top level whose blocks hold top-level definitions (`if TYPE_CHECKING:`, `try: … except ImportError:`). */
const PY_CONDITIONAL = new Set(["if_statement", "elif_clause", "else_clause", "try_statement", "except_clause", "finally_clause", "block"]);

/** All definitions of a parsed file, in source order (then those read from parts the grammar could not parse). */
export function definitionsOf(tree: TreeSitter.Tree, source: string): Definition[] {
  const found: Definition[] = [];
  visit(tree.rootNode, source, found, 0, undefined);
  if (tree.rootNode.hasError) {
    const known = new Set(found.map((d) => d.name));
    for (const definition of declarationsInErrors(tree.rootNode, source)) if (!known.has(definition.name)) found.push(definition);
  }
  return found;
}

function visit(container: TreeSitter.Node, source: string, found: Definition[], depth: number, owner: string | undefined): void {
  for (const child of container.namedChildren) {
    if (!child || isCommentType(child.type)) continue;
    const classified = classify(child);
    if (classified) {
      const { startRow, leadStart } = leadingComments(child, source);
      const text = leadStart < child.startIndex ? source.slice(leadStart, lineStartOf(source, child.startIndex)) + render(child, classified, source) : render(child, classified, source);
      for (const name of classified.names) {
        found.push({
          name,
          kind: classified.kind,
          nodeType: classified.decl.type,
          startLine: startRow + 1,
          endLine: child.endPosition.row + 1,
          text,
          ...(classified.isDefault ? { isDefault: true } : {}),
          ...(owner ? { container: owner } : receiverOf(classified.decl)),
        });
      }
      // Java classes: members by name too, for `import static a.B.member;`.
      if (depth === 0 && !owner && classified.kind === "class" && /^(class|interface|enum|record)_declaration$/.test(classified.decl.type) && classified.body && classified.decl.childForFieldName("name")?.type === "identifier" && /^class_body|interface_body|enum_body$/.test(classified.body.type)) {
        visit(classified.body, source, found, depth + 1, classified.names[0]);
      }
      continue;
    }
    if (GO_GROUPS.has(child.type)) {
      const keyword = child.type.replace(/_declaration$/, "");
      for (const spec of goSpecs(child)) {
        const names = spec.childrenForFieldName("name").filter((n) => n).map((n) => n!.text);
        const lines = spec.endPosition.row - spec.startPosition.row + 1;
        const { startRow, leadStart } = leadingComments(spec, source);
        const comment = leadStart < spec.startIndex ? dedent(source.slice(leadStart, lineStartOf(source, spec.startIndex))) : "";
        const text = `${comment}${keyword} ${lines <= WHOLE_LINES.type ? spec.text : `${firstLines(spec.text, WHOLE_LINES.type - 1)}\n…`}`;
        for (const name of names) found.push({ name, kind: keyword === "type" ? "type" : "constant", nodeType: spec.type, startLine: startRow + 1, endLine: spec.endPosition.row + 1, text });
      }
      continue;
    }
    if (depth === 0 && !owner && PY_CONDITIONAL.has(child.type) && (container.type === "module" || PY_CONDITIONAL.has(container.type))) {
      visit(child, source, found, depth, owner);
      continue;
    }
    if (depth < 4 && (CONTAINERS.has(child.type) || child.type === "export_statement")) {
      const body = child.childForFieldName("body");
      visit(body ?? child, source, found, depth + (child.type.startsWith("preproc") || child.type === "export_statement" ? 0 : 1), owner);
    }
  }
}

function classify(node: TreeSitter.Node): Classified | undefined {
  let decl = node;
  let isDefault = false;
  if (node.type === "export_statement") {
    isDefault = node.children.some((c) => c?.type === "default");
    const inner = node.childForFieldName("declaration") ?? node.childForFieldName("value");
    if (!inner) return undefined;
    decl = inner;
  } else if (node.type === "decorated_definition") {
    const inner = node.childForFieldName("definition");
    if (!inner) return undefined;
    decl = inner;
  } else if (node.type === "template_declaration") {
    const inner = node.namedChildren.find((c) => c && c.type !== "template_parameter_list");
    if (!inner) return undefined;
    decl = inner;
  } else if (GO_GROUPS.has(node.type)) {
    // `type T struct {…}`, `const X = 1`: one spec is shown with its keyword; groups are split by visit().
    const specs = goSpecs(node);
    if (specs.length !== 1) return undefined;
    const spec = specs[0]!;
    const names = spec.childrenForFieldName("name").filter((n) => n).map((n) => n!.text);
    return names.length ? { kind: node.type === "type_declaration" ? "type" : "constant", names, decl: spec, body: undefined } : undefined;
  } else if (node.type === "ambient_declaration") {
    const inner = node.namedChildren.find((c) => c && !isCommentType(c.type));
    if (!inner) return undefined;
    decl = inner;
  }
  const type = decl.type;
  let kind: DefinitionKind | undefined;
  let body = bodyOf(decl);
  if (type === "impl_item") kind = "impl";
  else if (FUNCTION_TYPES.has(type)) kind = "function";
  else if (CLASS_TYPES.has(type)) kind = "class";
  else if (TYPE_TYPES.has(type)) kind = "type";
  else if (CONSTANT_TYPES.has(type)) {
    kind = "constant";
    // `const f = (x) => { … }` is a function.
    const value = type === "lexical_declaration" || type === "variable_declaration" ? decl.namedChildren.find((c) => c?.type === "variable_declarator")?.childForFieldName("value") : undefined;
    if (value && /^(arrow_function|function_expression|function|generator_function)$/.test(value.type)) {
      kind = "function";
      body = value.childForFieldName("body") ?? undefined;
    }
    if (type === "declaration" && decl.descendantsOfType("function_declarator").some((d) => d && d.parent?.id === decl.id)) kind = "function";
  } else if (isDefault && decl.type === "identifier") return undefined;
  if (!kind) return undefined;
  const names = namesOf(decl);
  if (isDefault && names.length === 0) names.push("default");
  if (names.length === 0) return undefined;
  return { kind, names, decl, body, isDefault };
}

export function bodyOf(node: TreeSitter.Node): TreeSitter.Node | undefined {
  const body = node.childForFieldName("body");
  if (body) return body;
  if (node.type === "type_spec" || node.type === "type_alias") return undefined;
  for (const child of node.namedChildren) if (child && BODY_TYPES.has(child.type)) return child;
  return undefined;
}

function namesOf(decl: TreeSitter.Node): string[] {
  switch (decl.type) {
    case "lexical_declaration":
    case "variable_declaration":
      return decl.namedChildren
        .filter((c) => c?.type === "variable_declarator")
        .map((c) => c!.childForFieldName("name"))
        .filter((n): n is TreeSitter.Node => n?.type === "identifier")
        .map((n) => n.text);
    case "expression_statement": {
      // Python module-level `NAME = value` / `NAME: T = value`.
      const assignment = decl.namedChildren[0];
      const left = assignment?.type === "assignment" ? assignment.childForFieldName("left") : undefined;
      return left?.type === "identifier" ? [left.text] : [];
    }
    case "impl_item": {
      const type = decl.childForFieldName("type")?.text;
      return type ? [type.replace(/<.*$/s, "")] : [];
    }
    case "declaration":
    case "field_declaration":
    case "function_definition":
    case "type_definition": {
      if (decl.type === "function_definition" && decl.childForFieldName("name")) return [decl.childForFieldName("name")!.text];
      const names: string[] = [];
      for (const declarator of decl.childrenForFieldName("declarator")) {
        const name = declarator && declaratorName(declarator);
        if (name) names.push(name);
      }
      // `typedef struct S { … } S_t;` is found by both names.
      const inner = decl.childForFieldName("type");
      const innerName = inner && /struct_specifier|union_specifier|enum_specifier|class_specifier/.test(inner.type) ? inner.childForFieldName("name")?.text : undefined;
      if (decl.type === "type_definition" && innerName && !names.includes(innerName)) names.push(innerName);
      return names;
    }
    default: {
      const name = decl.childForFieldName("name");
      return name ? [name.text.replace(/^.*(::|\.)/s, "")] : [];
    }
  }
}

/** The identifier a C/C++ declarator declares: through pointers, references, arrays and functions; `A::f` → `f`. */
function declaratorName(node: TreeSitter.Node): string | undefined {
  let current: TreeSitter.Node | null = node;
  for (let i = 0; current && i < 8; i++) {
    if (/^(identifier|field_identifier|type_identifier|operator_name|destructor_name)$/.test(current.type)) return current.text;
    if (current.type === "qualified_identifier") {
      const name = current.childForFieldName("name");
      current = name;
      continue;
    }
    current = current.childForFieldName("declarator") ?? current.namedChildren.find((c) => c && /declarator|identifier/.test(c.type)) ?? null;
  }
  return undefined;
}

function receiverOf(decl: TreeSitter.Node): { container?: string } {
  if (decl.type !== "method_declaration") return {};
  const receiver = decl.childForFieldName("receiver");
  if (!receiver) return {};
  const type = receiver.descendantsOfType("type_identifier")[0]?.text;
  return type ? { container: type } : {};
}

/** Doc comments and attributes right above a declaration (no blank line between). */
function leadingComments(node: TreeSitter.Node, source: string): { startRow: number; leadStart: number } {
  let startRow = node.startPosition.row;
  let leadStart = node.startIndex;
  let lines = 0;
  for (let prev = node.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
    if (!(isCommentType(prev.type) || prev.type === "attribute_item" || prev.type === "decorator")) break;
    if (prev.endPosition.row < startRow - 1) break;
    if (prev.endPosition.row === prev.startPosition.row && prev.endPosition.row === node.startPosition.row && prev.startIndex > node.startIndex) break;
    lines += prev.endPosition.row - prev.startPosition.row + 1;
    if (lines > MAX_COMMENT_LINES) break;
    // A trailing comment on the line of the previous statement is not this declaration's.
    if (!/^[ \t]*$/.test(source.slice(source.lastIndexOf("\n", prev.startIndex - 1) + 1, prev.startIndex))) break;
    startRow = prev.startPosition.row;
    leadStart = lineStartOf(source, prev.startIndex);
  }
  return { startRow, leadStart };
}

/** The prompt text of a definition node (with its `export`/decorators), shortened by kind. */
function render(node: TreeSitter.Node, c: Classified, source: string): string {
  const start = lineStartOf(source, node.startIndex);
  const full = source.slice(start, node.endIndex);
  const lineCount = node.endPosition.row - node.startPosition.row + 1;
  if (lineCount <= WHOLE_LINES[c.kind]) return full;
  const indent = /^[ \t]*/.exec(full)![0];
  switch (c.kind) {
    case "function":
      return c.body ? signature(source, start, c.body, indent) : `${firstLines(full, WHOLE_LINES.function)}\n${indent}…`;
    case "class":
    case "impl":
      return c.body ? classOutline(source, start, c.body, indent) : `${firstLines(full, WHOLE_LINES.class)}\n${indent}…`;
    case "type": {
      const lines = full.split("\n");
      return [...lines.slice(0, WHOLE_LINES.type - 1), `${indent}  …`, lines[lines.length - 1]].join("\n");
    }
    case "constant":
      return `${firstLines(full, 5)} …`;
  }
}

/** A function's header with its body elided: `function f(a: A): B { … }`, or Python's `def f(a):` + docstring + `...`. */
function signature(source: string, start: number, body: TreeSitter.Node, indent: string): string {
  const braces = source[body.startIndex] === "{";
  const header = source.slice(start, body.startIndex).trimEnd();
  if (braces) return `${header} { … }`;
  if (body.type === "block" && /:$/.test(header)) {
    const bodyIndent = " ".repeat(body.startPosition.column);
    const first = body.namedChildren[0];
    const doc = first?.type === "expression_statement" && first.namedChildren[0]?.type === "string" ? first : undefined;
    const docText = doc && doc.endPosition.row - doc.startPosition.row < 6 ? `\n${bodyIndent}${doc.text}` : "";
    return `${header}${docText}\n${bodyIndent}...`;
  }
  if (/=>$/.test(header)) return `${header} …`;
  return `${header}\n${indent}  …`;
}

/** A class as its header and its members' signatures. */
function classOutline(source: string, start: number, body: TreeSitter.Node, indent: string): string {
  const braces = source[body.startIndex] === "{";
  const header = source.slice(start, braces ? body.startIndex + 1 : body.startIndex).trimEnd();
  const out = [header];
  let count = 0;
  for (const member of body.namedChildren) {
    if (!member || isCommentType(member.type)) continue;
    if (++count > MAX_MEMBERS) {
      out.push(`${indent}  …`);
      break;
    }
    out.push(memberText(member, source));
  }
  if (braces) out.push(`${indent}}`);
  else if (/^(class|module)$/.test(body.parent?.type ?? "")) out.push(`${indent}end`);
  return out.join("\n");
}

function memberText(member: TreeSitter.Node, source: string): string {
  const start = lineStartOf(source, member.startIndex);
  // A class field's `;` is the class body's token, not the field's.
  const full = source.slice(start, member.endIndex) + (source[member.endIndex] === ";" && !source.slice(start, member.endIndex).endsWith(";") ? ";" : "");
  const lines = member.endPosition.row - member.startPosition.row + 1;
  const inner = member.type === "decorated_definition" ? member.childForFieldName("definition") ?? member : member.type === "template_declaration" ? member.namedChildren.find((c) => c && c.type !== "template_parameter_list") ?? member : member;
  const body = bodyOf(inner);
  const isConstructor = /^(__init__|constructor)$/.test(inner.childForFieldName("name")?.text ?? "") || inner.type === "constructor_declaration";
  const isFunction = FUNCTION_TYPES.has(inner.type) || inner.type === "method_definition";
  // Methods as signatures (one-liners and short constructors whole: they show the fields); fields whole.
  if (lines === 1 || (isConstructor && lines <= 12) || (!isFunction && lines <= 3)) return full;
  if (body && isFunction) return signature(source, start, body, /^[ \t]*/.exec(full)![0]);
  if (body) {
    const braces = source[body.startIndex] === "{";
    return `${source.slice(start, body.startIndex).trimEnd()}${braces ? " { … }" : " …"}`;
  }
  return `${firstLines(full, 2)} …`;
}

/** The specs of a Go `type`/`const`/`var` declaration, grouped or not. */
function goSpecs(node: TreeSitter.Node): TreeSitter.Node[] {
  const specs: TreeSitter.Node[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type.endsWith("_spec_list")) specs.push(...goSpecs(child));
    else if (/_spec$|^type_alias$/.test(child.type)) specs.push(child);
  }
  return specs;
}

function dedent(text: string): string {
  return text.replace(/^[ \t]+/gm, "");
}

function firstLines(text: string, n: number): string {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf("\n", at + 1);
    if (at < 0) return text;
  }
  return text.slice(0, at);
}

function lineStartOf(source: string, offset: number): number {
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*$/.test(source.slice(start, offset)) ? start : offset;
}

/** A declaration's first line as most languages write it: keyword, then the name. */
const DECLARATION_LINE = /^([ \t]*)(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(function\*?|class|interface|type|enum|const|let|var|def|fn|func|struct|trait)\s+([A-Za-z_$][\w$]*)/;
const KEYWORD_KIND: Record<string, DefinitionKind> = { function: "function", "function*": "function", def: "function", fn: "function", func: "function", class: "class", interface: "type", type: "type", enum: "type", struct: "type", trait: "type", const: "constant", let: "constant", var: "constant" };
/** Lines a declaration read from an error node shows at most. */
const ERROR_DECLARATION_LINES = 12;

/**
 * Declarations inside the parts of a file the grammar could not parse (top-level ERROR nodes, and top-level
 * statements holding an error, which may have swallowed the declarations after them): a line that starts like
 * a declaration, up to where its brackets close (or its indented body ends), at most a few lines.
 */
function declarationsInErrors(root: TreeSitter.Node, source: string): Definition[] {
  const found: Definition[] = [];
  const errors = root.type === "ERROR" ? [root] : root.children.filter((c): c is TreeSitter.Node => !!c && (c.type === "ERROR" || c.hasError));
  for (const error of errors) {
    const lines = source.slice(source.lastIndexOf("\n", error.startIndex - 1) + 1, error.endIndex).split("\n");
    const firstRow = error.startPosition.row;
    // A statement that parsed is found by its own first line already.
    for (let i = error.type === "ERROR" ? 0 : 1; i < lines.length; i++) {
      const match = DECLARATION_LINE.exec(lines[i]);
      if (!match) continue;
      const [, indent, keyword, name] = match;
      const end = declarationEnd(lines, i, indent.length);
      const shown = lines.slice(i, Math.min(end + 1, i + ERROR_DECLARATION_LINES));
      const text = end - i + 1 > ERROR_DECLARATION_LINES ? `${shown.join("\n")}\n${indent}…` : shown.join("\n");
      let kind = KEYWORD_KIND[keyword];
      if (kind === "constant" && /=\s*(async\s*)?(\([^)]*\)|[A-Za-z_$][\w$]*)\s*(:[^=]*)?=>|=\s*function\b/.test(shown.join("\n"))) kind = "function";
      found.push({ name, kind, nodeType: "ERROR", startLine: firstRow + i + 1, endLine: firstRow + end + 1, text });
      i = end;
    }
  }
  return found;
}

/** The last line of a declaration starting at `start`: where its brackets balance again, or its indented body ends. */
function declarationEnd(lines: string[], start: number, indent: number): number {
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && line.trim() !== "" && /^[ \t]*/.exec(line)![0].length <= indent && !/^[ \t]*[)\]}]/.test(line) && (opened ? depth <= 0 : true)) return i - 1;
    for (const c of line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "")) {
      if (c === "{" || c === "(" || c === "[") {
        depth++;
        opened = true;
      } else if (c === "}" || c === ")" || c === "]") depth--;
    }
    if (opened && depth <= 0 && /[}\])][;,]?\s*$/.test(line)) return i;
    if (!opened && /;\s*$/.test(line)) return i;
  }
  return lines.length - 1;
}
