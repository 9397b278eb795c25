import { dirname } from "node:path";

/** The folder of tree-sitter's runtime and grammars, from the installed @vscode/tree-sitter-wasm package. */
export function treeSitterWasmDir(): string {
  return dirname(require.resolve("@vscode/tree-sitter-wasm"));
}
