// Keeps every file read of the context engine inside the workspace folder: a workspace-relative path may not
// climb out with `..` or be absolute, and once symbolic links are resolved it must still lie in the folder
// (a cloned repository can carry a link to ~/.ssh). Both checks are needed: the first is free and guards
// sources without a disk (open documents), the second catches links.
import { realpath } from "node:fs/promises";
import { isAbsolute, posix, relative, resolve, sep, win32 } from "node:path";

/** Whether a workspace-relative path stays in the folder as written (no leading `..`, not absolute). */
export function isWorkspaceRelative(path: string): boolean {
  if (!path || path.includes("\0") || isAbsolute(path) || posix.isAbsolute(path) || win32.isAbsolute(path)) return false;
  const normal = posix.normalize(path.split("\\").join("/"));
  return normal !== ".." && !normal.startsWith("../");
}

/** Whether `child` (an absolute path) is `parent` or below it. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * The real path of `relativePath` under `root` when it exists and, after resolving symbolic links, is still
 * inside the real `root`; undefined otherwise.
 */
export async function containedPath(root: string, relativePath: string): Promise<string | undefined> {
  if (!isWorkspaceRelative(relativePath)) return undefined;
  try {
    const realRoot = await realpath(root);
    const real = await realpath(resolve(realRoot, relativePath));
    return isInside(realRoot, real) ? real : undefined;
  } catch {
    return undefined;
  }
}
