// Workspace files from disk, for the CLI and the benchmark (the editor serves open documents first).
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { DEFAULTS } from "../config/defaults";
import type { WorkspaceFiles } from "./imports";

export function diskFiles(root: string, maxBytes: number = DEFAULTS.context.maxFileBytes): WorkspaceFiles {
  const inside = (path: string) => {
    const full = resolve(root, path);
    return relative(root, full).startsWith("..") ? undefined : full;
  };
  return {
    root: resolve(root),
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
