// Workspace files from disk, for the CLI and the benchmark (the editor serves open documents first).
// Nothing outside `root` is read or listed, also not through a symbolic link (containment.ts).
import { readdir, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DEFAULTS } from "../config/defaults";
import { containedPath } from "./containment";
import type { WorkspaceFiles } from "./imports";

export function diskFiles(root: string, maxBytes: number = DEFAULTS.context.maxFileBytes): WorkspaceFiles {
  return {
    root: resolve(root),
    async read(path) {
      const full = await containedPath(root, path);
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
      const full = await containedPath(root, dir);
      if (!full) return [];
      const prefix = dir === "." || dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
      try {
        return (await readdir(full, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => `${prefix}${e.name}`);
      } catch {
        return [];
      }
    },
  };
}
