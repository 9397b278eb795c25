// Reads a source file for a completion at LINE:COL (1-based, like a compiler message) and splits it there.
import { readFile, stat } from "node:fs/promises";

export class InputError extends Error {
  override name = "InputError";
}

export interface FilePosition {
  path: string;
  line: number;
  column: number;
}

/** Parses `FILE:LINE:COL`; the file name itself may contain colons. */
export function parseFilePosition(spec: string): FilePosition {
  const match = /^(.*):(\d+):(\d+)$/.exec(spec);
  if (!match || !match[1]) throw new InputError(`Expected FILE:LINE:COL (1-based), got ${JSON.stringify(spec)}.`);
  const line = Number(match[2]);
  const column = Number(match[3]);
  if (line < 1 || column < 1) throw new InputError(`Line and column are 1-based; got ${line}:${column}.`);
  return { path: match[1], line, column };
}

/** Largest file a completion reads; bigger ones are refused with a message rather than slowing everything. */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

export async function readSourceFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`File not found: ${path}`);
  }
  if (info.isDirectory()) throw new InputError(`${path} is a folder, not a file.`);
  if (info.size > MAX_SOURCE_BYTES) throw new InputError(`${path} is ${(info.size / 1048576).toFixed(1)} MB; Freehold completes files up to ${MAX_SOURCE_BYTES / 1048576} MB.`);
  const bytes = await readFile(path);
  if (bytes.subarray(0, 8192).includes(0)) throw new InputError(`${path} looks like a binary file; Freehold completes text only.`);
  return bytes.toString("utf8");
}

/** Character offset of a 1-based line and column; the column may be one past the end of the line. */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) {
      const lines = current;
      throw new InputError(`Line ${line} is past the end of the file (${lines} line${lines === 1 ? "" : "s"}).`);
    }
    offset = next + 1;
  }
  let end = text.indexOf("\n", offset);
  if (end < 0) end = text.length;
  if (end > offset && text[end - 1] === "\r") end--;
  const length = end - offset;
  if (column - 1 > length) throw new InputError(`Column ${column} is past the end of line ${line} (${length} characters).`);
  return offset + column - 1;
}
