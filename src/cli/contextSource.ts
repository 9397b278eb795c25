import type { ContextSource } from "../completion/pipeline";
import { treeSitterContext } from "../completion/treeSitterContext";
import { ContextBuilder } from "../context/buildContext";
import { diskFiles } from "../context/fsFiles";
import { Parsers } from "../context/parsers";
import { treeSitterWasmDir } from "../context/wasmDir";

let parsers: Promise<Parsers> | undefined;

/** The context source the CLI and the benchmark use: the same tree-sitter engine as the editor, reading the disk. */
export async function createContextSource(workspaceRoot: string): Promise<ContextSource & { builder: ContextBuilder }> {
  parsers ??= Parsers.create(treeSitterWasmDir());
  const builder = new ContextBuilder(await parsers);
  return { builder, ...treeSitterContext({ builder, files: diskFiles(workspaceRoot) }) };
}
