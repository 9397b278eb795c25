// Workspace files from disk, for the CLI and the benchmark (the editor serves open documents first).
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { WorkspaceFiles } from "./imports";
import { resolveInside } from "../platform/paths";

export function diskFiles(root: string, maxBytes = 1024 * 1024): WorkspaceFiles {
  // Not `relative(…).startsWith("..")`: on Windows a path on another drive is relative to nothing.
  const inside = (path: string) => resolveInside(root, path);
  return {
    async read(path) {
      const full = inside(path);
      if (!full) return undefined;
      try {
        const info = await stat(full);
        if (!info.isFile() || info.size > maxBytes) return undefined;
        return await readFile(full, "utf8");
      } catch {
        return undefined;
      }
    },
    async list(dir) {
      const full = inside(dir);
      if (!full) return [];
      try {
        return (await readdir(full, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(root, join(full, e.name)).split(sep).join("/"));
      } catch {
        return [];
      }
    },
  };
}
