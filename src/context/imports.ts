// Import statements per language, read from the syntax tree, and their resolution to workspace files.
import { dirname, join, normalize } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";

export interface ImportRef {
  /** The name used in this file. */
  local: string;
  /** The name exported by the other file ("*" for a whole module or header). */
  imported: string;
  /** The module as written: './b', '.models', 'crate::util', 'com.acme.Util', "util.h". */
  specifier: string;
}

/** Reads a workspace file; the VS Code adapter serves open documents first, the CLI the disk. */
export interface WorkspaceFiles {
  read(path: string): Promise<string | undefined>;
  /** Files directly in a workspace folder (workspace-relative paths); used for Go packages. */
  list?(dir: string): Promise<string[]>;
}

const unquote = (s: string) => s.replace(/^["'`<]|["'`>]$/g, "");

function* walk(node: TreeSitter.Node, types: ReadonlySet<string>, depth = 0): Generator<TreeSitter.Node> {
  if (types.has(node.type)) {
    yield node;
    return;
  }
  if (depth > 3) return; // imports live near the top of the tree
  for (const child of node.namedChildren) if (child) yield* walk(child, types, depth + 1);
}

export function importsOf(languageId: string, tree: TreeSitter.Tree): ImportRef[] {
  const root = tree.rootNode;
  const refs: ImportRef[] = [];
  switch (languageId) {
    case "typescript":
    case "typescriptreact":
    case "javascript":
    case "javascriptreact":
      for (const node of walk(root, new Set(["import_statement"]))) {
        const source = node.childForFieldName("source");
        if (!source) continue;
        const specifier = unquote(source.text);
        for (const spec of node.descendantsOfType("import_specifier")) {
          if (!spec) continue;
          const name = spec.childForFieldName("name")?.text;
          const alias = spec.childForFieldName("alias")?.text;
          if (name) refs.push({ local: alias ?? name, imported: name, specifier });
        }
        const clause = node.namedChildren.find((c) => c?.type === "import_clause");
        const defaultName = clause?.namedChildren.find((c) => c?.type === "identifier")?.text;
        if (defaultName) refs.push({ local: defaultName, imported: "default", specifier });
        const namespace = node.descendantsOfType("namespace_import")[0]?.namedChildren.find((c) => c?.type === "identifier")?.text;
        if (namespace) refs.push({ local: namespace, imported: "*", specifier });
      }
      break;
    case "python":
      for (const node of walk(root, new Set(["import_from_statement", "import_statement"]))) {
        if (node.type === "import_from_statement") {
          const module = node.childForFieldName("module_name")?.text ?? "";
          for (const name of node.childrenForFieldName("name")) {
            if (!name) continue;
            const original = name.type === "aliased_import" ? name.childForFieldName("name")?.text : name.text;
            const alias = name.type === "aliased_import" ? name.childForFieldName("alias")?.text : undefined;
            if (original) refs.push({ local: alias ?? original, imported: original, specifier: module });
          }
        } else {
          for (const name of node.childrenForFieldName("name")) {
            if (!name) continue;
            const dotted = name.type === "aliased_import" ? name.childForFieldName("name")?.text : name.text;
            const alias = name.type === "aliased_import" ? name.childForFieldName("alias")?.text : undefined;
            if (dotted) refs.push({ local: alias ?? dotted.split(".")[0], imported: "*", specifier: dotted });
          }
        }
      }
      break;
    case "go":
      for (const spec of root.descendantsOfType("import_spec")) {
        const path = spec?.childForFieldName("path")?.text;
        if (!spec || !path) continue;
        const specifier = unquote(path);
        const local = spec.childForFieldName("name")?.text ?? specifier.split("/").pop()!;
        refs.push({ local, imported: "*", specifier });
      }
      break;
    case "rust":
      for (const node of walk(root, new Set(["use_declaration"]))) {
        const argument = node.childForFieldName("argument");
        if (!argument) continue;
        const path = argument.text.replace(/\s+/g, "");
        const group = /^(.*)::\{(.*)\}$/.exec(path);
        const entries = group ? group[2].split(",").map((n) => `${group[1]}::${n}`) : [path];
        for (const entry of entries) {
          const [full, alias] = entry.split(/\bas\b/);
          const parts = full.split("::").filter(Boolean);
          const name = parts.pop();
          if (name && name !== "*" && name !== "self") refs.push({ local: alias?.trim() || name, imported: name, specifier: parts.join("::") });
        }
      }
      break;
    case "java":
      for (const node of walk(root, new Set(["import_declaration"]))) {
        const path = node.namedChildren.find((c) => c?.type === "scoped_identifier" || c?.type === "identifier")?.text;
        if (!path) continue;
        const name = path.split(".").pop()!;
        refs.push({ local: name, imported: name, specifier: path });
      }
      break;
    case "c":
    case "cpp":
      for (const node of walk(root, new Set(["preproc_include"]))) {
        const path = node.childForFieldName("path");
        if (path?.type === "string_literal") refs.push({ local: "*", imported: "*", specifier: unquote(path.text) });
      }
      break;
  }
  return refs;
}

/** Workspace-relative candidate files for an import, most likely first. */
export function candidateFiles(languageId: string, fromPath: string, specifier: string): string[] {
  const dir = dirname(fromPath);
  const rel = (p: string) => normalize(p).split("\\").join("/").replace(/^\.\//, "");
  switch (languageId) {
    case "typescript":
    case "typescriptreact":
    case "javascript":
    case "javascriptreact": {
      if (!specifier.startsWith(".")) return [];
      const base = rel(join(dir, specifier)).replace(/\.(js|mjs|cjs|jsx)$/, "");
      const exts = [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs"];
      return [...exts.map((e) => base + e), ...exts.map((e) => `${base}/index${e}`), rel(join(dir, specifier))];
    }
    case "python": {
      const dots = /^\.*/.exec(specifier)![0].length;
      const modulePath = specifier.slice(dots).split(".").filter(Boolean).join("/");
      const roots = dots > 0 ? [rel(join(dir, ...Array(dots - 1).fill("..")))] : [rel(dir), "", "src"];
      return roots.flatMap((r) => {
        const base = [r, modulePath].filter(Boolean).join("/");
        return base ? [`${base}.py`, `${base}/__init__.py`] : ["__init__.py"];
      });
    }
    case "go":
      return [`@go-package:${specifier}`];
    case "rust": {
      const parts = specifier.split("::");
      const head = parts[0];
      const rest = parts.slice(1).join("/");
      if (head === "crate") return rest ? [`src/${rest}.rs`, `src/${rest}/mod.rs`] : ["src/lib.rs", "src/main.rs"];
      if (head === "super") return [rel(join(dir, "..", `${rest || "mod"}.rs`)), rel(join(dir, "mod.rs"))];
      if (head === "self") return [rel(join(dir, `${rest}.rs`))];
      const local = parts.join("/");
      return [rel(join(dir, `${local}.rs`)), rel(join(dir, local, "mod.rs")), `src/${local}.rs`];
    }
    case "java": {
      const file = `${specifier.split(".").join("/")}.java`;
      return [file, `src/main/java/${file}`, `src/${file}`];
    }
    case "c":
    case "cpp":
      return [rel(join(dir, specifier)), `include/${specifier}`, specifier];
    default:
      return [];
  }
}
