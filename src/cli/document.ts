// The document a CLI command works on, from FILE:LINE:COL and --workspace: `complete` and `context` accept
// the same files. A file outside the workspace is named by its file name (no folder's imports to follow).
import { basename, relative, resolve, sep } from "node:path";
import { statSync } from "node:fs";
import { offsetAt, parseFilePosition, readSourceFile } from "../completion/cursorDocument";
import { languageOfPath } from "../context/languages";
import { UsageError } from "./usage";

export interface CliDocument {
  file: string;
  workspace: string;
  relativePath: string;
  languageId: string;
  text: string;
  offset: number;
}

export async function cliDocument(spec: string | undefined, command: string, workspaceFlag: string | undefined): Promise<CliDocument> {
  if (!spec) throw new UsageError(`${command} needs FILE:LINE:COL.`);
  const position = parseFilePosition(spec);
  const file = resolve(position.path);
  const text = await readSourceFile(file);
  const offset = offsetAt(text, position.line, position.column);
  const workspace = resolve(workspaceFlag ?? process.cwd());
  if (workspaceFlag !== undefined && !isFolder(workspace)) throw new UsageError(`--workspace ${workspaceFlag} is not a folder.`);
  let relativePath = relative(workspace, file).split(sep).join("/");
  if (relativePath.startsWith("..") || relativePath === "") relativePath = basename(file);
  return { file, workspace, relativePath, languageId: languageOfPath(file) ?? "plaintext", text, offset };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A whole number flag within bounds, or a usage error naming the flag. */
export function integerFlag(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ""}; got ${JSON.stringify(value)}.`);
  return n;
}
