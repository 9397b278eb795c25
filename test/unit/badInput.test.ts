// Bad input on the completion path: a minified one-line file and a prompt far over the context size.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ContextBuilder } from "../../src/context/buildContext";
import { DEFAULTS } from "../../src/config/defaults";

const MAX_CURSOR_LINE_CHARS = DEFAULTS.context.maxCursorLineChars;
import type { Parsers } from "../../src/context/parsers";
import { EngineClient } from "../../src/engine/client";
import { EngineError } from "../../src/engine/protocol";
import { testParsers } from "../fixtures/context/fixtures";
import { tinyModelPath } from "../helpers/models";

let parsers: Parsers;
let engine: EngineClient;

/** About 1.2 MB of JavaScript on one line, like a minified bundle. */
const minified = Array.from({ length: 30_000 }, (_, i) => `function f${i}(a,b){return a+b*${i}};`).join("");

before(async () => {
  parsers = await testParsers();
  const workerPath = resolve("dist/worker.mjs");
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  engine = new EngineClient({ workerPath, backoffMs: [0, 100] });
  engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
});

after(async () => {
  await engine.dispose();
});

test("the context of a cursor in a 1 MB minified line keeps only the line's part near the cursor, with a note", async () => {
  assert.ok(minified.length > 1_000_000);
  const offset = Math.floor(minified.length / 2);
  const built = await new ContextBuilder(parsers).context({ path: "bundle.min.js", languageId: "javascript", text: minified, offset });
  assert.equal(built.linePrefix, minified.slice(offset - MAX_CURSOR_LINE_CHARS, offset));
  assert.equal(built.prefix, built.linePrefix);
  assert.equal(built.suffix, minified.slice(offset, offset + MAX_CURSOR_LINE_CHARS));
  assert.ok(built.notes.some((note) => note.includes("characters before the cursor")), JSON.stringify(built.notes));
});

test("a prompt far over the context size fails with a clear message, and the worker goes on serving", async () => {
  await assert.rejects(
    engine.complete({ prompt: [{ special: "<|fim_prefix|>" }, { text: minified }, { special: "<|fim_suffix|>" }, { special: "<|fim_middle|>" }], maxTokens: 8 }),
    (error: unknown) => error instanceof EngineError && /do not fit the \d+-token context/.test(error.message),
  );
  const next = await engine.complete({ infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 4 });
  assert.ok(next.stats.generatedTokens > 0);
});
