// Context engine containment: import resolution of every language and the file sources read nothing outside
// the workspace folder, whether the way out is a `..` in an import or a symbolic link inside the workspace
// that points elsewhere. Real files on disk, real resolver; each case also resolves an honest import next to
// the hostile one, so a resolver that resolves nothing cannot pass.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ImportResolver } from "../../../src/context/resolve";
import { diskFiles } from "../../../src/context/fsFiles";
import type { ImportRef, WorkspaceFiles } from "../../../src/context/imports";
import { containedPath } from "../../../src/context/containment";

let root: string;
let ws: string;
let outside: string;

const SECRET = "SECRET-OUTSIDE-THE-WORKSPACE";

async function put(base: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
}

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "freehold-contain-")));
  ws = join(root, "ws");
  outside = join(root, "outside");
  await put(outside, {
    "secret.ts": `export const s = "${SECRET}";\n`,
    "secret.py": `S = "${SECRET}"\n`,
    "secret.go": `package outside\nconst S = "${SECRET}"\n`,
    "secret.rs": `pub const S: &str = "${SECRET}";\n`,
    "Secret.java": `package linked; public class Secret { String s = "${SECRET}"; }\n`,
    "secret.h": `#define S "${SECRET}"\n`,
    "secret.rb": `S = "${SECRET}"\n`,
    "pkg/secret.go": `package pkg\nconst S = "${SECRET}"\n`,
  });
  await put(ws, {
    "go.mod": "module example.com/m\n",
    "main.go": "package main\n",
    "src/main.rs": "fn main() {}\n",
    "src/inner.rs": "pub fn inner() {}\n",
    "main.ts": "",
    "inner.ts": "export const inner = 1;\n",
    "main.py": "",
    "inner.py": "X = 1\n",
    "Main.java": "public class Main {}\n",
    "inner/Inner.java": "package inner; public class Inner {}\n",
    "main.c": "",
    "inner.h": "#define INNER 1\n",
    "main.rb": "",
    "inner.rb": "X = 1\n",
    "innerpkg/a.go": "package innerpkg\n",
  });
  // The way out: a folder of the workspace that is a link to a folder outside it (a cloned repository can hold one).
  await symlink(outside, join(ws, "linked"), "dir");
  await symlink(outside, join(ws, "src", "linked"), "dir");
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

const ref = (kind: ImportRef["kind"], specifier: string, extra: Partial<ImportRef> = {}): ImportRef => ({
  kind,
  local: "",
  imported: kind === "named" ? "x" : "*",
  specifier,
  line: 1,
  ...extra,
});

interface Case {
  languageId: string;
  fromPath: string;
  hostile: ImportRef;
  honest: ImportRef;
  honestFile: string;
}

const CASES: Case[] = [
  { languageId: "typescript", fromPath: "main.ts", hostile: ref("named", "./linked/secret"), honest: ref("named", "./inner"), honestFile: "inner.ts" },
  { languageId: "python", fromPath: "main.py", hostile: ref("namespace", "linked.secret"), honest: ref("namespace", "inner"), honestFile: "inner.py" },
  { languageId: "go", fromPath: "main.go", hostile: ref("namespace", "example.com/m/linked"), honest: ref("namespace", "example.com/m/innerpkg"), honestFile: "innerpkg/a.go" },
  { languageId: "rust", fromPath: "src/main.rs", hostile: ref("namespace", "crate::linked::secret"), honest: ref("namespace", "crate::inner"), honestFile: "src/inner.rs" },
  { languageId: "java", fromPath: "Main.java", hostile: ref("named", "linked.Secret"), honest: ref("named", "inner.Inner"), honestFile: "inner/Inner.java" },
  { languageId: "cpp", fromPath: "main.c", hostile: ref("global", "linked/secret.h"), honest: ref("global", "inner.h"), honestFile: "inner.h" },
  { languageId: "c", fromPath: "main.c", hostile: ref("global", "linked/secret.h"), honest: ref("global", "inner.h"), honestFile: "inner.h" },
  { languageId: "ruby", fromPath: "main.rb", hostile: ref("global", "linked/secret", { relative: true }), honest: ref("global", "inner", { relative: true }), honestFile: "inner.rb" },
];

async function resolveWith(files: WorkspaceFiles, c: Case, which: ImportRef): Promise<string[]> {
  const text = (await files.read(c.fromPath)) ?? "";
  const found = await new ImportResolver().resolve({ languageId: c.languageId, fromPath: c.fromPath, fromText: text, files }, which);
  return found.map((f) => f.file);
}

for (const c of CASES) {
  test(`${c.languageId}: an import through a symbolic link out of the workspace resolves to nothing, an honest one still resolves`, async () => {
    const files = diskFiles(ws);
    assert.deepEqual(await resolveWith(files, c, c.honest), [c.honestFile]);
    const hostile = await resolveWith(files, c, c.hostile);
    assert.deepEqual(hostile, [], `resolved outside the workspace: ${hostile.join(", ")}`);
  });
}

/** A file source that checks nothing itself (the editor's source did not): the resolver's own check must hold. */
function uncheckedFiles(base: string): WorkspaceFiles {
  return {
    read: (path) => readFile(resolve(base, path), "utf8").catch(() => undefined),
    list: async (dir) =>
      (await readdir(resolve(base, dir), { withFileTypes: true }).catch(() => []))
        .filter((e) => e.isFile())
        .map((e) => (dir === "." ? e.name : `${dir}/${e.name}`)),
  };
}

const DOTDOT: Case[] = [
  { languageId: "typescript", fromPath: "main.ts", hostile: ref("named", "../outside/secret"), honest: ref("named", "./inner"), honestFile: "inner.ts" },
  { languageId: "python", fromPath: "main.py", hostile: ref("namespace", "...outside.secret"), honest: ref("namespace", "inner"), honestFile: "inner.py" },
  { languageId: "go", fromPath: "main.go", hostile: ref("namespace", "example.com/m/../outside/pkg"), honest: ref("namespace", "example.com/m/innerpkg"), honestFile: "innerpkg/a.go" },
  { languageId: "rust", fromPath: "src/main.rs", hostile: ref("namespace", "super::super::outside::secret"), honest: ref("namespace", "crate::inner"), honestFile: "src/inner.rs" },
  { languageId: "cpp", fromPath: "main.c", hostile: ref("global", "../outside/secret.h"), honest: ref("global", "inner.h"), honestFile: "inner.h" },
  { languageId: "ruby", fromPath: "main.rb", hostile: ref("global", "../outside/secret", { relative: true }), honest: ref("global", "inner", { relative: true }), honestFile: "inner.rb" },
];

for (const c of DOTDOT) {
  test(`${c.languageId}: an import with .. segments that leave the workspace resolves to nothing`, async () => {
    const files = uncheckedFiles(ws);
    assert.deepEqual(await resolveWith(files, c, c.honest), [c.honestFile]);
    const hostile = await resolveWith(files, c, c.hostile);
    assert.deepEqual(hostile, [], `resolved outside the workspace: ${hostile.join(", ")}`);
  });
}

test("the disk file source reads and lists nothing through a link out of the workspace", async () => {
  const files = diskFiles(ws);
  assert.equal(await files.read("inner.ts"), "export const inner = 1;\n");
  assert.equal(await files.read("linked/secret.ts"), undefined);
  assert.equal(await files.read("../outside/secret.ts"), undefined);
  assert.equal(await files.read(join(outside, "secret.ts")), undefined);
  assert.deepEqual(await files.list!("linked"), []);
  assert.ok((await files.list!("innerpkg")).includes("innerpkg/a.go"));
});

test("containedPath: the real path of a workspace file, undefined for anything that leaves the folder", async () => {
  assert.equal(await containedPath(ws, "inner.ts"), join(ws, "inner.ts"));
  assert.equal(await containedPath(ws, "linked/secret.ts"), undefined);
  assert.equal(await containedPath(ws, "src/linked"), undefined);
  assert.equal(await containedPath(ws, "../outside/secret.ts"), undefined);
  assert.equal(await containedPath(ws, "/etc/passwd"), undefined);
  assert.equal(await containedPath(ws, "missing.ts"), undefined);
  // A link that stays inside the workspace is fine.
  await symlink(join(ws, "inner.ts"), join(ws, "alias.ts"));
  assert.equal(await containedPath(ws, "alias.ts"), join(ws, "inner.ts"));
});
