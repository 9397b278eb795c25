// The `freehold` command as a user runs it (the built bin), on the generated tiny model.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const bin = resolve("bin/freehold.mjs");
let dir: string;
let tiny: string;

function freehold(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function assertOneLineError(result: ReturnType<typeof freehold>, expected: RegExp) {
  assert.notEqual(result.code, 0, "non-zero exit");
  const lines = result.stderr.trim().split("\n");
  assert.match(lines[0], /^freehold: /);
  assert.match(lines[0], expected);
  assert.ok(!/\n\s+at /.test(result.stderr), `no stack trace: ${result.stderr}`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "freehold-cli-"));
  tiny = join(dir, "tiny.gguf");
  const made = freehold("make-model", "--shape", "tiny", "--out", tiny);
  assert.equal(made.code, 0, made.stderr);
});

test("make-model writes the same bytes for the same seed", async () => {
  const again = join(dir, "again.gguf");
  assert.equal(freehold("make-model", "--shape", "tiny", "--out", again, "--seed", "1").code, 0);
  assert.deepEqual(await readFile(again), await readFile(tiny));
});

test("complete --json prints the completion and its figures", async () => {
  const result = freehold("complete", "src/extension.ts:1:1", "--model", tiny, "--json", "--gpu-layers", "0");
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  for (const key of ["promptTokens", "reusedTokens", "generatedTokens", "ttftMs", "totalMs"]) assert.equal(typeof json[key], "number", key);
  assert.equal(typeof json.completion, "string");
  assert.ok(json.generatedTokens > 0);
  assert.ok(json.promptTokens > 10);
});

test("complete without --json streams plain text", async () => {
  const file = join(dir, "a.py");
  await writeFile(file, "def add(a, b):\n    return \n");
  const result = freehold("complete", `${file}:2:12`, "--model", tiny, "--max-tokens", "8", "--gpu-layers", "0");
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.length > 1);
});

test("chat streams a reply", () => {
  const result = freehold("chat", "--model", tiny, "--max-tokens", "12", "--gpu-layers", "0", "hello there");
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.trim().length > 0);
});

test("bad input gets one clear line and a non-zero exit", async () => {
  const truncated = join(dir, "truncated.gguf");
  const bytes = await readFile(tiny);
  await writeFile(truncated, bytes.subarray(0, bytes.length - 1000));
  const text = join(dir, "text.gguf");
  await writeFile(text, "not a model");
  await mkdir(join(dir, "folder"));

  assertOneLineError(freehold("complete", "src/extension.ts:1:1", "--model", truncated), /truncated/);
  assertOneLineError(freehold("complete", "src/extension.ts:1:1", "--model", text), /not a GGUF model file/);
  assertOneLineError(freehold("complete", "src/extension.ts:1:1", "--model", join(dir, "nope.gguf")), /Model file not found/);
  assertOneLineError(freehold("complete", "src/extension.ts:1:1", "--model", join(dir, "folder")), /is a folder/);
  assertOneLineError(freehold("complete", "src/extension.ts:99999:1", "--model", tiny), /Line 99999 is past the end of the file/);
  assertOneLineError(freehold("complete", "src/extension.ts:1:500", "--model", tiny), /Column 500 is past the end of line 1/);
  assertOneLineError(freehold("complete", `${join(dir, "missing.ts")}:1:1`, "--model", tiny), /File not found/);
  assertOneLineError(freehold("complete", "src/extension.ts", "--model", tiny), /FILE:LINE:COL/);
  assertOneLineError(freehold("complete", "src/extension.ts:1:1"), /--model FILE is required/);
  assertOneLineError(freehold("make-model", "--shape", "huge", "--out", join(dir, "x.gguf")), /--shape must be one of/);
  assertOneLineError(freehold("frobnicate"), /Unknown command/);
});

test("--verbose adds the stack trace", async () => {
  const result = freehold("complete", "src/extension.ts:1:1", "--model", join(dir, "nope.gguf"), "--verbose");
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /\n\s+at /);
});

test("context --json lists the imported function's definition from b.ts, with reason and lines", () => {
  const workspace = resolve("test/fixtures/context/ts");
  const result = freehold("context", `${workspace}/src/a.ts:9:24`, "--workspace", workspace, "--json");
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout);
  assert.ok(json.prefix.endsWith("return formatPrice("));
  assert.ok(json.suffix.startsWith("item);"));
  const snippet = json.snippets.find((s: { text: string }) => s.text.includes("function formatPrice("));
  assert.deepEqual({ path: snippet.path, startLine: snippet.startLine, endLine: snippet.endLine, reason: snippet.reason }, { path: "src/b.ts", startLine: 6, endLine: 9, reason: "imported-definition" });
  assert.ok(json.prompt.includes("<|file_sep|>src/b.ts\n"));
  assert.ok(json.prompt.includes("<|fim_middle|>    return formatPrice("));
});
