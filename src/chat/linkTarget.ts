// Decides what a link in model output may open: http(s) addresses in the system browser, files inside the
// workspace in the editor, nothing else (javascript:, data:, file:, command: and other schemes are refused).
import { realpath } from "node:fs/promises";
import * as nodePath from "node:path";
import { isInside } from "../context/containment";
import { workspaceRelativePath, type PathRules } from "../platform/paths";

export type LinkTarget =
  | { kind: "external"; url: string }
  | { kind: "file"; path: string; line?: number }
  | { kind: "refused"; reason: string };

export function classifyLink(href: string, workspaceRoots: readonly string[], path: PathRules = nodePath): LinkTarget {
  const text = href.trim();
  if (!text || /[\u0000-\u001f\u007f]/.test(text)) return { kind: "refused", reason: "empty or control characters" };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: "refused", reason: "not a valid address" };
    }
    if (url.username || url.password) return { kind: "refused", reason: "an address with credentials" };
    if (!url.hostname) return { kind: "refused", reason: "no host" };
    return { kind: "external", url: url.href };
  }
  // A one-letter "scheme" is a Windows drive (C:\…), which counts as a path.
  if (scheme && scheme.length > 1) return { kind: "refused", reason: `${scheme}: links are not opened` };
  if (text.startsWith("//")) return { kind: "refused", reason: "a protocol-relative address" };

  // path, path#L12, path:12
  const match = /^(.*?)(?:#L(\d+)(?:-L?\d+)?|:(\d+)(?::\d+)?)?$/.exec(text);
  let linked = match?.[1] ?? text;
  try {
    linked = decodeURIComponent(linked);
  } catch {
    return { kind: "refused", reason: "a malformed path" };
  }
  const lineText = match?.[2] ?? match?.[3];
  for (const root of workspaceRoots) {
    const full = path.resolve(root, linked);
    const inside = workspaceRelativePath(root, full, path);
    if (inside) {
      return { kind: "file", path: full, ...(lineText ? { line: Number(lineText) } : {}) };
    }
  }
  return { kind: "refused", reason: "a path outside the workspace" };
}

/**
 * A file link as it resolves on disk: its real path when that is still inside a workspace folder (after
 * symbolic links), "outside" when a link leads out, "missing" when there is no such file.
 */
export async function resolveFileLink(path: string, workspaceRoots: readonly string[]): Promise<{ kind: "inside"; path: string } | { kind: "outside" } | { kind: "missing" }> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { kind: "missing" };
  }
  for (const root of workspaceRoots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot && isInside(realRoot, real) && real !== realRoot) return { kind: "inside", path: real };
  }
  return { kind: "outside" };
}
