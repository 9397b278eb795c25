// Import statements per language, found with tree-sitter queries and read into a common shape:
// which name this file uses (`local`), what it names in the other module (`imported`), and the module as
// written (`specifier`). Resolving a specifier to workspace files is resolve.ts's job.
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type { Parsers } from "./parsers";

/**
 * named:     `import { a as b } from "./x"`, `from .x import a`, `use crate::x::a`: `local` is bound to `imported`.
 * default:   `import a from "./x"`: the module's default export.
 * namespace: `import * as ns`, `import a.b`, Go packages, `mod x;`: used as `local.member` / `local::member`.
 * global:    `#include "x.h"`, `from x import *`, `export * from`, `require_relative`: its names are used bare.
 * package:   Java `import a.b.*;`: each capitalised name used is a file `a/b/Name.java`.
 */
export type ImportKind = "named" | "default" | "namespace" | "global" | "package";

export interface ImportRef {
  kind: ImportKind;
  /** The name used in this file (dotted for Python `import a.b`); "" for global and package imports. */
  local: string;
  /** The name in the other module; "*" for namespace, global and package imports, "default" for default. */
  imported: string;
  /** The module as written: './b', '.models', 'crate::util', 'com.acme.Prices', 'util.h', 'example.com/m/util'. */
  specifier: string;
  /** 1-based line of the statement. */
  line: number;
  /** 1-based last line of the statement (set by importsOf). */
  endLine?: number;
  /** TS/JS `export … from`: names passed through, not used here. */
  reexport?: boolean;
  /** Java `import static`: `imported` is a member of the class file `specifier`. */
  member?: boolean;
  /** Relative to the importing file (Ruby `require_relative`). */
  relative?: boolean;
}

/** Reads a workspace file (workspace-relative path, forward slashes); the VS Code adapter serves open documents first, the CLI the disk. */
export interface WorkspaceFiles {
  /** The workspace folder these paths are relative to (a path or uri): what is remembered about its files is kept apart from other folders'. */
  readonly root?: string;
  read(path: string): Promise<string | undefined>;
  /** Files directly in a workspace folder (workspace-relative paths). Needed for Go packages and Java wildcard imports. */
  list?(dir: string): Promise<string[]>;
}

interface LanguageQuery {
  source: string;
  /** Imports sit near the root: the query cursor does not descend below this depth. */
  depth: number;
  read(captures: Map<string, TreeSitter.Node>, refs: ImportRef[]): void;
}

const TS_QUERY: LanguageQuery = {
  source: `
    (import_statement) @import
    (export_statement source: (_)) @export
    (lexical_declaration (variable_declarator name: (_) @name value: (call_expression function: (identifier) @fn arguments: (arguments . (string) @source)) (#eq? @fn "require"))) @require
    (variable_declaration (variable_declarator name: (_) @name value: (call_expression function: (identifier) @fn arguments: (arguments . (string) @source)) (#eq? @fn "require"))) @require
  `,
  depth: 1,
  read(captures, refs) {
    const statement = captures.get("import") ?? captures.get("export");
    if (statement) {
      const sourceNode = statement.childForFieldName("source") ?? statement.descendantsOfType("import_require_clause")[0]?.childForFieldName("source");
      if (!sourceNode) return;
      const specifier = unquote(sourceNode.text);
      const line = statement.startPosition.row + 1;
      if (captures.has("export")) {
        const clause = statement.namedChildren.find((c) => c?.type === "export_clause");
        const namespace = statement.namedChildren.find((c) => c?.type === "namespace_export");
        if (clause) {
          for (const spec of clause.namedChildren) {
            const name = spec?.childForFieldName("name")?.text;
            if (name) refs.push({ kind: name === "default" ? "default" : "named", local: spec!.childForFieldName("alias")?.text ?? name, imported: name, specifier, line, reexport: true });
          }
        } else if (namespace) {
          const local = namespace.namedChildren.find((c) => c?.type === "identifier")?.text;
          if (local) refs.push({ kind: "namespace", local, imported: "*", specifier, line, reexport: true });
        } else refs.push({ kind: "global", local: "", imported: "*", specifier, line, reexport: true });
        return;
      }
      const requireClause = statement.namedChildren.find((c) => c?.type === "import_require_clause");
      const requireName = requireClause?.namedChildren.find((c) => c?.type === "identifier")?.text;
      if (requireName) refs.push({ kind: "namespace", local: requireName, imported: "*", specifier, line });
      const clause = statement.namedChildren.find((c) => c?.type === "import_clause");
      if (!clause) return;
      for (const part of clause.namedChildren) {
        if (!part) continue;
        if (part.type === "identifier") refs.push({ kind: "default", local: part.text, imported: "default", specifier, line });
        else if (part.type === "namespace_import") {
          const local = part.namedChildren.find((c) => c?.type === "identifier")?.text;
          if (local) refs.push({ kind: "namespace", local, imported: "*", specifier, line });
        } else if (part.type === "named_imports") {
          for (const spec of part.namedChildren) {
            const name = spec?.childForFieldName("name")?.text;
            if (name) refs.push({ kind: name === "default" ? "default" : "named", local: spec!.childForFieldName("alias")?.text ?? name, imported: name, specifier, line });
          }
        }
      }
      return;
    }
    const name = captures.get("name");
    const source = captures.get("source");
    const require = captures.get("require");
    if (!name || !source || !require) return;
    const specifier = unquote(source.text);
    const line = require.startPosition.row + 1;
    if (name.type === "identifier") refs.push({ kind: "namespace", local: name.text, imported: "*", specifier, line });
    else if (name.type === "object_pattern") {
      for (const prop of name.namedChildren) {
        if (prop?.type === "shorthand_property_identifier_pattern") refs.push({ kind: "named", local: prop.text, imported: prop.text, specifier, line });
        else if (prop?.type === "pair_pattern") {
          const key = prop.childForFieldName("key")?.text;
          const value = prop.childForFieldName("value");
          if (key && value?.type === "identifier") refs.push({ kind: "named", local: value.text, imported: key, specifier, line });
        }
      }
    }
  },
};

const PYTHON_QUERY: LanguageQuery = {
  source: `[(import_statement) (import_from_statement)] @import`,
  depth: 3,
  read(captures, refs) {
    const node = captures.get("import")!;
    const line = node.startPosition.row + 1;
    if (node.type === "import_from_statement") {
      const specifier = node.childForFieldName("module_name")?.text.replace(/\s+/g, "") ?? "";
      if (node.namedChildren.some((c) => c?.type === "wildcard_import")) {
        refs.push({ kind: "global", local: "", imported: "*", specifier, line });
        return;
      }
      for (const name of node.childrenForFieldName("name")) {
        if (!name) continue;
        const original = name.type === "aliased_import" ? name.childForFieldName("name")?.text : name.text;
        const alias = name.type === "aliased_import" ? name.childForFieldName("alias")?.text : undefined;
        if (original) refs.push({ kind: "named", local: alias ?? original, imported: original, specifier, line });
      }
    } else {
      for (const name of node.childrenForFieldName("name")) {
        if (!name) continue;
        const dotted = name.type === "aliased_import" ? name.childForFieldName("name")?.text : name.text;
        const alias = name.type === "aliased_import" ? name.childForFieldName("alias")?.text : undefined;
        if (dotted) refs.push({ kind: "namespace", local: alias ?? dotted, imported: "*", specifier: dotted, line });
      }
    }
  },
};

const GO_QUERY: LanguageQuery = {
  source: `(import_declaration) @import`,
  depth: 1,
  read(captures, refs) {
    for (const spec of captures.get("import")!.descendantsOfType("import_spec")) {
      const path = spec?.childForFieldName("path");
      if (!spec || !path) continue;
      const specifier = unquote(path.text);
      const alias = spec.childForFieldName("name")?.text;
      const line = spec.startPosition.row + 1;
      if (alias === "_") continue;
      if (alias === ".") refs.push({ kind: "global", local: "", imported: "*", specifier, line });
      else refs.push({ kind: "namespace", local: alias ?? goPackageName(specifier), imported: "*", specifier, line });
    }
  },
};

const RUST_QUERY: LanguageQuery = {
  source: `
    (use_declaration argument: (_) @argument) @import
    (mod_item name: (identifier) @name) @mod
  `,
  depth: 1,
  read(captures, refs) {
    const mod = captures.get("mod");
    if (mod) {
      // `mod x;` declares a module file; `mod x { … }` is inline.
      if (!mod.childForFieldName("body")) refs.push({ kind: "namespace", local: captures.get("name")!.text, imported: "*", specifier: `self::${captures.get("name")!.text}`, line: mod.startPosition.row + 1 });
      return;
    }
    const argument = captures.get("argument")!;
    rustUseTree(argument, [], argument.startPosition.row + 1, refs);
  },
};

function rustUseTree(node: TreeSitter.Node, prefix: string[], line: number, refs: ImportRef[]): void {
  const segments = (n: TreeSitter.Node) => n.text.replace(/\s+/g, "").split("::").filter(Boolean);
  switch (node.type) {
    case "scoped_use_list": {
      const path = node.childForFieldName("path");
      const list = node.childForFieldName("list");
      if (list) rustUseTree(list, path ? [...prefix, ...segments(path)] : prefix, line, refs);
      return;
    }
    case "use_list":
      for (const child of node.namedChildren) if (child) rustUseTree(child, prefix, line, refs);
      return;
    case "use_wildcard": {
      const path = node.namedChildren.find((c) => c && c.type !== "use_wildcard");
      refs.push({ kind: "global", local: "", imported: "*", specifier: [...prefix, ...(path ? segments(path) : [])].join("::"), line });
      return;
    }
    case "use_as_clause": {
      const path = node.childForFieldName("path");
      const alias = node.childForFieldName("alias")?.text;
      if (path) pushRustPath([...prefix, ...segments(path)], alias, line, refs);
      return;
    }
    default:
      pushRustPath([...prefix, ...segments(node)], undefined, line, refs);
  }
}

function pushRustPath(path: string[], alias: string | undefined, line: number, refs: ImportRef[]): void {
  let name = path[path.length - 1];
  let parent = path.slice(0, -1);
  if (!name) return;
  if (name === "self") {
    // `use a::b::{self}` names the module b itself.
    name = parent[parent.length - 1];
    parent = parent.slice(0, -1);
    if (!name) return;
  }
  if (parent.length === 0) return; // `use serde;`: an external crate
  refs.push({ kind: "named", local: alias ?? name, imported: name, specifier: parent.join("::"), line });
}

const JAVA_QUERY: LanguageQuery = {
  source: `(import_declaration) @import`,
  depth: 1,
  read(captures, refs) {
    const node = captures.get("import")!;
    const path = node.namedChildren.find((c) => c?.type === "scoped_identifier" || c?.type === "identifier")?.text.replace(/\s+/g, "");
    if (!path) return;
    const isStatic = node.children.some((c) => c?.type === "static");
    const wildcard = node.namedChildren.some((c) => c?.type === "asterisk");
    const line = node.startPosition.row + 1;
    const parts = path.split(".");
    if (wildcard) refs.push({ kind: isStatic ? "global" : "package", local: "", imported: "*", specifier: path, line });
    else if (isStatic) refs.push({ kind: "named", local: parts[parts.length - 1], imported: parts[parts.length - 1], specifier: parts.slice(0, -1).join("."), line, member: true });
    else refs.push({ kind: "named", local: parts[parts.length - 1], imported: parts[parts.length - 1], specifier: path, line });
  },
};

const C_QUERY: LanguageQuery = {
  source: `(preproc_include path: (string_literal) @path) @import`,
  depth: 2,
  read(captures, refs) {
    refs.push({ kind: "global", local: "", imported: "*", specifier: unquote(captures.get("path")!.text), line: captures.get("import")!.startPosition.row + 1 });
  },
};

const RUBY_QUERY: LanguageQuery = {
  source: `(call method: (identifier) @method arguments: (argument_list . (string) @path) (#any-of? @method "require_relative" "require")) @import`,
  depth: 1,
  read(captures, refs) {
    const relative = captures.get("method")!.text === "require_relative";
    refs.push({ kind: "global", local: "", imported: "*", specifier: unquote(captures.get("path")!.text), line: captures.get("import")!.startPosition.row + 1, relative });
  },
};

const QUERIES: Readonly<Record<string, LanguageQuery>> = {
  typescript: TS_QUERY,
  typescriptreact: TS_QUERY,
  javascript: TS_QUERY,
  javascriptreact: TS_QUERY,
  python: PYTHON_QUERY,
  go: GO_QUERY,
  rust: RUST_QUERY,
  java: JAVA_QUERY,
  c: C_QUERY,
  cpp: C_QUERY,
  ruby: RUBY_QUERY,
};

/** The import statements of a parsed file, in source order. Languages without a query give []. */
/** The import statements of a parsed file; with `rows` (0-based, inclusive), only those starting on them. */
export function importsOf(parsers: Parsers, languageId: string, tree: TreeSitter.Tree, rows?: { from: number; to: number }): ImportRef[] {
  const spec = QUERIES[languageId];
  const query = spec && parsers.query(languageId, spec.source);
  if (!spec || !query) return [];
  const refs: ImportRef[] = [];
  const range = rows === undefined ? {} : { startPosition: { row: rows.from, column: 0 }, endPosition: { row: rows.to + 1, column: 0 } };
  for (const match of query.matches(tree.rootNode, { maxStartDepth: spec.depth, ...range })) {
    const captures = new Map<string, TreeSitter.Node>();
    let outer: TreeSitter.Node | undefined;
    for (const capture of match.captures) {
      captures.set(capture.name, capture.node);
      if (!outer || capture.node.endIndex - capture.node.startIndex > outer.endIndex - outer.startIndex) outer = capture.node;
    }
    const before = refs.length;
    spec.read(captures, refs);
    for (let i = before; i < refs.length; i++) refs[i].endLine = Math.max(refs[i].line, outer ? outer.endPosition.row + 1 : refs[i].line);
  }
  return refs;
}

/** Whether `languageId` has an import query. */
export function hasImportQuery(languageId: string): boolean {
  return Object.hasOwn(QUERIES, languageId);
}

function unquote(text: string): string {
  return text.replace(/^["'`<]|["'`>]$/g, "");
}

/** The package name Go gives an import path by default: its last element, without a major-version suffix. */
export function goPackageName(importPath: string): string {
  const parts = importPath.split("/");
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/^go-/, "").replace(/[.-]/g, "_");
}
