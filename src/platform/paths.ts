// Path rules that differ between Windows, macOS and Linux, as pure functions that take the platform's path
// module (path.win32 or path.posix; the running platform's by default), so tests cover all three anywhere.
import * as nodePath from "node:path";

export type PathRules = typeof nodePath.posix;

/** The path module of a platform: Windows separators and drive letters, or POSIX. */
export function pathRulesFor(platform: NodeJS.Platform): PathRules {
  return platform === "win32" ? nodePath.win32 : nodePath.posix;
}

/** Whether the platform's usual file system ignores case (NTFS; APFS and HFS+ as macOS formats them by default). */
export function caseInsensitiveFileSystem(platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin";
}

/**
 * `file` relative to `root` with forward slashes, or undefined when it lies outside (above `root`, or on
 * another drive: path.win32.relative then answers with an absolute path). Windows compares case-insensitively.
 */
export function workspaceRelativePath(root: string, file: string, path: PathRules = nodePath): string | undefined {
  const relative = path.relative(root, file);
  if (path.isAbsolute(relative) || relative === ".." || relative.startsWith(`..${path.sep}`)) return undefined;
  return relative.split(path.sep).join("/");
}

/** The absolute path of a workspace-relative path (either separator), or undefined when it leads outside `root`. */
export function resolveInside(root: string, relative: string, path: PathRules = nodePath): string | undefined {
  const full = path.resolve(root, relative);
  return workspaceRelativePath(root, full, path) === undefined ? undefined : full;
}

/** Whether `file` is inside `folder` (not the folder itself), comparing case-insensitively when asked. */
export function isInsideFolder(folder: string, file: string, options: { path?: PathRules; caseInsensitive?: boolean } = {}): boolean {
  const path = options.path ?? nodePath;
  const fold = (s: string) => (options.caseInsensitive ? s.toLowerCase() : s);
  const relative = path.relative(fold(path.resolve(folder)), fold(path.resolve(file)));
  return relative !== "" && !path.isAbsolute(relative) && relative !== ".." && !relative.startsWith(`..${path.sep}`);
}

/** "~" and "~/…" (also "~\…" on Windows) against the home folder; anything else unchanged. */
export function expandHome(value: string, home: string, path: PathRules = nodePath): string {
  if (value === "~") return home;
  const separators = path.sep === "\\" ? ["~/", "~\\"] : ["~/"];
  return separators.some((start) => value.startsWith(start)) ? path.join(home, value.slice(2)) : value;
}
