// What the context engine knows about each language: its grammar file, the syntax node types that open a
// scope or a body, and how a file path maps to a VS Code language id. Pure data, no tree-sitter calls.

/** VS Code language id → grammar file in @vscode/tree-sitter-wasm's `wasm/` folder. */
export const GRAMMAR_FILES: Readonly<Record<string, string>> = {
  typescript: "tree-sitter-typescript.wasm",
  typescriptreact: "tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript.wasm",
  javascriptreact: "tree-sitter-javascript.wasm",
  python: "tree-sitter-python.wasm",
  go: "tree-sitter-go.wasm",
  rust: "tree-sitter-rust.wasm",
  java: "tree-sitter-java.wasm",
  cpp: "tree-sitter-cpp.wasm",
  c: "tree-sitter-cpp.wasm",
  csharp: "tree-sitter-c-sharp.wasm",
  ruby: "tree-sitter-ruby.wasm",
  php: "tree-sitter-php.wasm",
  shellscript: "tree-sitter-bash.wasm",
};

export function hasGrammar(languageId: string): boolean {
  return Object.hasOwn(GRAMMAR_FILES, languageId);
}

const EXTENSION_LANGUAGES: Readonly<Record<string, string>> = {
  ts: "typescript", mts: "typescript", cts: "typescript", tsx: "typescriptreact",
  js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascriptreact",
  py: "python", pyi: "python", go: "go", rs: "rust", java: "java",
  cc: "cpp", cpp: "cpp", cxx: "cpp", hpp: "cpp", hh: "cpp", hxx: "cpp", h: "cpp", c: "c",
  cs: "csharp", rb: "ruby", php: "php", sh: "shellscript", bash: "shellscript",
};

/** The VS Code language id of a file by its extension, or undefined. */
export function languageOfPath(path: string): string | undefined {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ? EXTENSION_LANGUAGES[ext] : undefined;
}

/** Languages whose blocks are delimited by indentation: a block's node ends at its last statement. */
export function isIndentLanguage(languageId: string): boolean {
  return languageId === "python";
}

/** Declarations that open a scope worth naming in a prompt (functions, methods, classes, impls, …). */
export const SCOPE_TYPES: ReadonlySet<string> = new Set([
  // TypeScript / JavaScript
  "function_declaration", "generator_function_declaration", "function_expression", "generator_function", "arrow_function",
  "method_definition", "class_declaration", "abstract_class_declaration", "class", "interface_declaration",
  "enum_declaration", "internal_module", "module",
  // Python
  "function_definition", "class_definition",
  // Go
  "method_declaration", "func_literal", "type_spec",
  // Rust
  "function_item", "impl_item", "trait_item", "mod_item", "struct_item", "enum_item", "closure_expression",
  // Java / C#
  "constructor_declaration", "record_declaration", "struct_declaration", "namespace_declaration", "local_function_statement",
  // C / C++
  "class_specifier", "struct_specifier", "namespace_definition", "lambda_expression",
  // Ruby / PHP
  "method", "singleton_method", "trait_declaration",
]);

/** Nodes that are the body of a scope or a block of statements. */
export const BODY_TYPES: ReadonlySet<string> = new Set([
  "statement_block", "class_body", "interface_body", "enum_body", "object_type", "switch_body", "switch_block",
  "block", "declaration_list", "field_declaration_list", "enum_variant_list", "compound_statement",
  "constructor_body", "body_statement", "do_block", "block_node", "statement_list", "use_list",
  "match_block", "enum_body_declarations", "object", "class_declaration_list",
]);

/** Node types of strings and comments, across grammars. */
export function isStringOrCommentType(type: string): boolean {
  return /(^|_)(comment|string|template_string|string_literal|raw_string_literal|char_literal|heredoc_body|heredoc|string_content|encapsed_string|interpreted_string_literal)($|_)/.test(type) && !/interpolation|substitution|_array$/.test(type);
}

/** Nodes inside a string that are code again (`${…}`, `#{…}`, f-string `{…}`). */
export function isInterpolationType(type: string): boolean {
  return /interpolation|template_substitution/.test(type);
}

export function isCommentType(type: string): boolean {
  return /(^|_)comment($|_)/.test(type);
}
