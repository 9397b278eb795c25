import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, offsetAt, parseFilePosition, readSourceFile } from "../../src/completion/cursorDocument";

test("parses FILE:LINE:COL, keeping colons in the file name", () => {
  assert.deepEqual(parseFilePosition("src/a.ts:3:7"), { path: "src/a.ts", line: 3, column: 7 });
  assert.deepEqual(parseFilePosition("C:/x/a.ts:1:1"), { path: "C:/x/a.ts", line: 1, column: 1 });
  assert.throws(() => parseFilePosition("a.ts:3"), InputError);
  assert.throws(() => parseFilePosition("a.ts:0:1"), /1-based/);
});

test("maps 1-based positions to offsets and rejects positions past the end", () => {
  const text = "ab\r\ncde\nf";
  assert.equal(offsetAt(text, 1, 1), 0);
  assert.equal(offsetAt(text, 1, 3), 2);
  assert.equal(offsetAt(text, 2, 4), 7);
  assert.equal(offsetAt(text, 3, 2), 9);
  assert.throws(() => offsetAt(text, 4, 1), /Line 4 is past the end of the file \(3 lines\)/);
  assert.throws(() => offsetAt(text, 1, 4), /Column 4 is past the end of line 1 \(2 characters\)/);
});

test("refuses missing files, folders and binary files with a clear message", async () => {
  const dir = await mkdtemp(join(tmpdir(), "freehold-cursor-"));
  await assert.rejects(readSourceFile(join(dir, "missing.ts")), /File not found/);
  await mkdir(join(dir, "folder"));
  await assert.rejects(readSourceFile(join(dir, "folder")), /is a folder/);
  await writeFile(join(dir, "blob.bin"), Buffer.from([1, 2, 0, 3]));
  await assert.rejects(readSourceFile(join(dir, "blob.bin")), /binary file/);
  await writeFile(join(dir, "ok.ts"), "const x = 1;\n");
  assert.equal(await readSourceFile(join(dir, "ok.ts")), "const x = 1;\n");
});
