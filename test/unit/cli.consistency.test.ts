// The `freehold` command's answers to bad input are one exit code and one line; `context` and `complete`
// take the same files; `models` says where it looked and looks in the current folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tinyModelPath } from "../helpers/models";

const bin = resolve("bin/freehold.mjs");
let dir: string;

function freehold(args: string[], cwd = process.cwd()) {
  // An empty home: the machine's own model stores do not change what the tests see.
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000, cwd, env: { ...process.env, HOME: dir, HF_HOME: join(dir, "hf"), OLLAMA_MODELS: "" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "freehold-cli-consistency-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("bad input of every kind exits with the same code, 1, and one line naming the problem", () => {
  const cases: Array<[string[], RegExp]> = [
    [["complete", "src/extension.ts:1:1"], /--model FILE is required/],
    [["complete", "src/extension.ts:1:1", "--model", "x.gguf", "--context-size", "lots"], /--context-size takes a whole number/],
    [["complete", "src/extension.ts:1:1", "--model", "x.gguf", "--max-tokens", "0"], /--max-tokens takes a whole number/],
    [["context", "src/extension.ts:1:1", "--workspace", join(dir, "no-such-folder")], /--workspace .* is not a folder/],
    [["models", "--search-path", join(dir, "no-such-folder")], /--search-path .*no-such-folder is not a folder/],
    [["complete", "nowhere.ts:1:1", "--model", "x.gguf"], /File not found/],
    [["frobnicate"], /Unknown command/],
  ];
  for (const [args, message] of cases) {
    const result = freehold(args);
    assert.equal(result.code, 1, `${args.join(" ")}: exit ${result.code}, ${result.stderr}`);
    assert.match(result.stderr.split("\n")[0], message);
  }
  assert.equal(freehold([]).code, 1, "no command: the usage, and the bad-input code");
});

test("context accepts a file outside the workspace, as complete does", async () => {
  const outside = join(dir, "outside.ts");
  await writeFile(outside, "export function twice(n: number): number {\n  return n * 2;\n}\n");
  const result = freehold(["context", `${outside}:2:3`, "--workspace", resolve("test/fixtures/context/ts"), "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { prefix: string; prompt: string };
  assert.equal(json.prefix, "export function twice(n: number): number {\n  ");
  assert.ok(json.prompt.includes("outside.ts"), "named by its file name");
});

test("models says where it looked and finds a model in the current folder", async () => {
  const here = join(dir, "project");
  await rm(here, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.mkdir(here, { recursive: true }));
  await copyFile(await tinyModelPath(), join(here, "local-test.gguf"));
  const text = freehold(["models"], here);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /looked in:/);
  assert.ok(text.stdout.includes(`${here}  (user, 1 model)`), text.stdout);
  assert.match(text.stdout, /local-test\.gguf/);
  const json = JSON.parse(freehold(["models", "--json"], here).stdout) as { searched: Array<{ path: string; exists: boolean; found: number }>; models: Array<{ path: string }> };
  assert.ok(json.searched.some((s) => s.path === here && s.exists && s.found === 1));
  assert.ok(json.searched.some((s) => s.path.endsWith(join(".node-llama-cpp", "models")) && !s.exists), "missing default stores are listed as not present");
  assert.ok(json.models.some((m) => m.path === join(here, "local-test.gguf")));
});
