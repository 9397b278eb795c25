// Resolves import specifiers to workspace files, per language: relative TS/JS modules with their
// extensions and index files, Python packages (`__init__.py`, relative dots, package roots), Go packages
// through go.mod, Rust module files from `crate::`/`super::`/`self::` and `mod x;`, Java classes by
// package path under the source root, quoted C/C++ includes, Ruby `require_relative`.
// Existence probes are cached for a few seconds: a keystroke should not stat the same missing files again.
import { posix } from "node:path";
import { isWorkspaceRelative } from "./containment";
import type { ImportRef, WorkspaceFiles } from "./imports";

export interface ResolveRequest {
  languageId: string;
  /** Workspace-relative path of the importing file. */
  fromPath: string;
  /** Its text (Java reads its package declaration to find the source root). */
  fromText: string;
  files: WorkspaceFiles;
}

/** An import tied to one file; a named import of a module (`from . import mod`, `use crate::geo;`) becomes a namespace. */
export interface ResolvedImport {
  file: string;
  ref: ImportRef;
}

const TS_EXTENSIONS = [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];

export class ImportResolver {
  private readonly probes = new Map<string, { exists: boolean; at: number }>();
  private readonly texts = new Map<string, { text: string | undefined; at: number }>();

  constructor(
    private readonly ttlMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Files an import refers to (Go packages: every non-test file of the package). `nearNames` feeds Java wildcard imports. */
  async resolve(request: ResolveRequest, ref: ImportRef, nearNames: Iterable<string> = []): Promise<ResolvedImport[]> {
    const { languageId } = request;
    switch (languageId) {
      case "typescript":
      case "typescriptreact":
      case "javascript":
      case "javascriptreact":
        return this.one(request, ref, tsCandidates(request.fromPath, ref.specifier));
      case "python":
        return this.python(request, ref);
      case "go":
        return this.go(request, ref);
      case "rust":
        return this.rust(request, ref);
      case "java":
        return this.java(request, ref, nearNames);
      case "c":
      case "cpp": {
        const dir = posix.dirname(request.fromPath);
        return this.one(request, ref, [join(dir, ref.specifier), clean(ref.specifier), join("include", ref.specifier), join("src", ref.specifier)]);
      }
      case "ruby": {
        const spec = /\.rb$/.test(ref.specifier) ? ref.specifier : `${ref.specifier}.rb`;
        const candidates = ref.relative ? [join(posix.dirname(request.fromPath), spec)] : [join("lib", spec), clean(spec)];
        return this.one(request, ref, candidates);
      }
      default:
        return [];
    }
  }

  /** Whether a workspace file exists (cached for the TTL). */
  async exists(files: WorkspaceFiles, path: string): Promise<boolean> {
    if (!isWorkspaceRelative(path)) return false;
    const cached = this.probes.get(path);
    const now = this.now();
    if (cached && now - cached.at < this.ttlMs) return cached.exists;
    const exists = (await files.read(path)) !== undefined;
    this.probes.set(path, { exists, at: now });
    if (this.probes.size > 2000) this.probes.delete(this.probes.keys().next().value!);
    return exists;
  }

  /** A small file read through the TTL cache (go.mod, package markers). */
  private async cachedText(files: WorkspaceFiles, path: string): Promise<string | undefined> {
    const cached = this.texts.get(path);
    const now = this.now();
    if (cached && now - cached.at < this.ttlMs) return cached.text;
    const text = await files.read(path);
    this.texts.set(path, { text, at: now });
    if (this.texts.size > 200) this.texts.delete(this.texts.keys().next().value!);
    return text;
  }

  private async first(files: WorkspaceFiles, candidates: readonly string[], exclude?: string): Promise<string | undefined> {
    for (const candidate of candidates) if (candidate !== exclude && (await this.exists(files, candidate))) return candidate;
    return undefined;
  }

  private async one(request: ResolveRequest, ref: ImportRef, candidates: readonly string[]): Promise<ResolvedImport[]> {
    const file = await this.first(request.files, candidates, request.fromPath);
    return file ? [{ file, ref }] : [];
  }

  private async python(request: ResolveRequest, ref: ImportRef): Promise<ResolvedImport[]> {
    const dots = /^\.*/.exec(ref.specifier)![0].length;
    const modulePath = ref.specifier.slice(dots).split(".").filter(Boolean);
    let roots: string[];
    if (dots > 0) {
      let dir = posix.dirname(request.fromPath);
      for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
      roots = [dir];
    } else {
      roots = unique([await this.pythonPackageRoot(request), ".", "src"]);
    }
    const moduleFiles = (base: string, packageOnly = false) => (base === "." ? ["__init__.py"] : packageOnly ? [`${base}/__init__.py`] : [`${base}.py`, `${base}/__init__.py`]);
    for (const root of roots) {
      const base = join(root, ...modulePath);
      if (ref.kind === "named") {
        // `from pkg import module`: the name is a submodule.
        const submodule = await this.first(request.files, moduleFiles(join(base, ref.imported)), request.fromPath);
        if (submodule) return [{ file: submodule, ref: { ...ref, kind: "namespace", imported: "*" } }];
      }
      const file = await this.first(request.files, moduleFiles(base, modulePath.length === 0), request.fromPath);
      if (file) return [{ file, ref }];
    }
    return [];
  }

  /** The folder above the outermost package (folders with `__init__.py`) holding the importing file. */
  private async pythonPackageRoot(request: ResolveRequest): Promise<string> {
    let dir = posix.dirname(request.fromPath);
    for (let depth = 0; depth < 8 && dir !== "." && dir !== "/"; depth++) {
      if (!(await this.exists(request.files, `${dir}/__init__.py`))) break;
      dir = posix.dirname(dir);
    }
    return dir;
  }

  private async go(request: ResolveRequest, ref: ImportRef): Promise<ResolvedImport[]> {
    if (!request.files.list) return [];
    // The nearest go.mod above the importing file names the module.
    let dir = posix.dirname(request.fromPath);
    for (let depth = 0; depth < 12; depth++) {
      const goMod = await this.cachedText(request.files, dir === "." ? "go.mod" : `${dir}/go.mod`);
      const module = goMod && /^\s*module\s+"?([^\s"]+)"?/m.exec(goMod)?.[1];
      if (module) {
        if (ref.specifier !== module && !ref.specifier.startsWith(`${module}/`)) return [];
        const packageDir = join(dir, ref.specifier.slice(module.length + 1));
        if (!isWorkspaceRelative(packageDir)) return [];
        const listed = await request.files.list(packageDir === "" ? "." : packageDir);
        return listed
          .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && f !== request.fromPath && isWorkspaceRelative(f))
          .sort()
          .slice(0, 24)
          .map((file) => ({ file, ref }));
      }
      if (dir === "." || dir === "") break;
      dir = posix.dirname(dir);
    }
    return [];
  }

  private async rust(request: ResolveRequest, ref: ImportRef): Promise<ResolvedImport[]> {
    const segments = ref.specifier.split("::").filter(Boolean);
    const crateRoot = rustCrateRoot(request.fromPath);
    const here = rustModuleDir(request.fromPath);
    const bases: string[] = [];
    const head = segments[0];
    if (head === "crate") bases.push(join(crateRoot, ...segments.slice(1)));
    else if (head === "self") bases.push(join(here, ...segments.slice(1)));
    else if (head === "super") {
      let dir = here;
      let i = 0;
      while (segments[i] === "super") {
        dir = posix.dirname(dir);
        i++;
      }
      bases.push(join(dir, ...segments.slice(i)));
    } else bases.push(join(here, ...segments), join(crateRoot, ...segments));
    const moduleFiles = (dir: string) => (dir === crateRoot ? [`${crateRoot}/lib.rs`, `${crateRoot}/main.rs`] : [`${dir}.rs`, `${dir}/mod.rs`]);
    for (const base of bases) {
      if (ref.kind === "named") {
        const module = await this.first(request.files, moduleFiles(join(base, ref.imported)), request.fromPath);
        if (module) return [{ file: module, ref: { ...ref, kind: "namespace", imported: "*" } }];
      }
      const file = await this.first(request.files, moduleFiles(base), request.fromPath);
      if (file) return [{ file, ref }];
    }
    return [];
  }

  private async java(request: ResolveRequest, ref: ImportRef, nearNames: Iterable<string>): Promise<ResolvedImport[]> {
    const roots = unique([javaSourceRoot(request.fromPath, request.fromText), ".", "src/main/java", "src", "src/test/java", "app/src/main/java"]);
    const classFile = async (dotted: string) => {
      const rel = `${dotted.split(".").join("/")}.java`;
      return this.first(request.files, roots.map((r) => join(r, rel)), request.fromPath);
    };
    if (ref.kind === "package") {
      const found: ResolvedImport[] = [];
      for (const name of nearNames) {
        if (!/^[A-Z]/.test(name) || found.length >= 8) continue;
        const file = await classFile(`${ref.specifier}.${name}`);
        if (file) found.push({ file, ref: { ...ref, kind: "named", local: name, imported: name } });
      }
      return found;
    }
    const file = await classFile(ref.specifier);
    return file ? [{ file, ref }] : [];
  }
}

function tsCandidates(fromPath: string, specifier: string): string[] {
  if (!specifier.startsWith(".") && !specifier.startsWith("/")) return [];
  const base = join(posix.dirname(fromPath), specifier);
  const stem = base.replace(/\.(m|c)?jsx?$/, "");
  const withExtension = /\.(m|c)?[jt]sx?$/.test(base) ? [base] : [];
  return unique([...TS_EXTENSIONS.map((e) => stem + e), ...withExtension, ...TS_EXTENSIONS.map((e) => `${base}/index${e}`)]);
}

/** `src` of the crate holding the file: the last `src/` folder on its path, else the workspace's `src`. */
function rustCrateRoot(fromPath: string): string {
  const parts = fromPath.split("/");
  const at = parts.lastIndexOf("src");
  return at >= 0 ? parts.slice(0, at + 1).join("/") : "src";
}

/** The folder of a Rust file's child modules: `src/main.rs` → `src`, `src/a.rs` → `src/a`, `src/a/mod.rs` → `src/a`. */
function rustModuleDir(fromPath: string): string {
  const dir = posix.dirname(fromPath);
  const base = posix.basename(fromPath, ".rs");
  return base === "main" || base === "lib" || base === "mod" ? dir : join(dir, base);
}

/** The folder a Java file's package path starts from: `src/main/java/com/x/A.java` with `package com.x;` → `src/main/java`. */
function javaSourceRoot(fromPath: string, fromText: string): string {
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(fromText)?.[1];
  const dir = posix.dirname(fromPath);
  if (!pkg) return dir;
  const pkgDir = pkg.split(".").join("/");
  if (dir === pkgDir) return ".";
  return dir.endsWith(`/${pkgDir}`) ? dir.slice(0, -pkgDir.length - 1) : dir;
}

/** posix join, normalised, without a leading "./". */
function join(...parts: string[]): string {
  return clean(posix.join(...parts));
}

function clean(path: string): string {
  const normal = posix.normalize(path);
  return normal === "." ? "." : normal.replace(/^\.\//, "");
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
