// Chat links to files with Windows paths: drive letters, backslashes, case, other drives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { posix, win32 } from "node:path";
import { classifyLink } from "../../src/chat/linkTarget";

test("Windows: workspace files by relative path (either separator) or by absolute path in any case", () => {
  const roots = ["C:\\Users\\Ada\\repo"];
  assert.deepEqual(classifyLink("src\\util.ts:12", roots, win32), { kind: "file", path: "C:\\Users\\Ada\\repo\\src\\util.ts", line: 12 });
  assert.deepEqual(classifyLink("src/util.ts#L3", roots, win32), { kind: "file", path: "C:\\Users\\Ada\\repo\\src\\util.ts", line: 3 });
  assert.deepEqual(classifyLink("c:\\users\\ada\\REPO\\a.ts:7", roots, win32), { kind: "file", path: "c:\\users\\ada\\REPO\\a.ts", line: 7 });
  assert.deepEqual(classifyLink("C:/Users/Ada/repo/a.ts", roots, win32), { kind: "file", path: "C:\\Users\\Ada\\repo\\a.ts" });
});

test("Windows: another drive, a UNC share and a climb out of the workspace are refused", () => {
  const roots = ["C:\\Users\\Ada\\repo"];
  for (const href of ["D:\\Users\\Ada\\repo\\a.ts", "\\\\server\\share\\a.ts", "..\\secrets.txt", "C:\\Windows\\win.ini"]) {
    assert.equal(classifyLink(href, roots, win32).kind, "refused", href);
  }
});

test("POSIX: the same rules, case kept", () => {
  const roots = ["/home/ada/repo"];
  assert.deepEqual(classifyLink("src/a.ts:2", roots, posix), { kind: "file", path: "/home/ada/repo/src/a.ts", line: 2 });
  assert.equal(classifyLink("/home/ada/Repo/a.ts", roots, posix).kind, "refused");
  assert.deepEqual(classifyLink("..hidden/a.ts", roots, posix), { kind: "file", path: "/home/ada/repo/..hidden/a.ts" });
});
