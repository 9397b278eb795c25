// A cold request answers from a short prompt around the cursor; the full context is evaluated in the background
// and the next keystroke uses it with the KV cache warm. Real worker and inference on the tiny model, real
// tree-sitter context over the 2,885-line benchmark file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type DocumentPosition } from "../../src/completion/pipeline";
import { shortContext, shortPromptBudget } from "../../src/completion/coldStart";
import { sharedStart } from "../../src/engine/kvChoice";
import { createContextSource } from "../../src/cli/contextSource";
import { estimateTokens } from "../../src/context/tokens";
import { tinyModelPath } from "../helpers/models";

const FILE = readFileSync(resolve("test/fixtures/bench/StandardController.ts"), "utf8");

function at(text: string, line: number, typed: string): DocumentPosition {
  const lines = text.split("\n");
  const before = lines.slice(0, line).join("\n") + "\n";
  const doc = before + "        " + typed + "\n" + lines.slice(line).join("\n");
  return { key: "bench.ts", relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text: doc, offset: before.length + 8 + typed.length, repoName: "msal-browser" };
}

test("the short prompt's budget follows the measured prompt speed", () => {
  const slow = shortPromptBudget(88);
  const fast = shortPromptBudget(270);
  assert.ok(slow.prefixTokens + slow.suffixTokens < fast.prefixTokens + fast.suffixTokens);
  assert.equal(fast.prefixTokens + fast.suffixTokens, Math.round(270 * 0.6));
  assert.ok(shortPromptBudget(1).prefixTokens > 0, "never empty");
});

test("the short context keeps whole lines nearest the cursor within the budget and no snippets", () => {
  const context = {
    prefix: "line one\nline two\nline three\n",
    linePrefix: "  x",
    suffix: "after one\nafter two\nafter three",
    snippets: [{ path: "a.ts", startLine: 1, endLine: 1, reason: "import", text: "export const a = 1;" }],
    multiline: false,
  };
  const short = shortContext(context, { prefixTokens: 10, suffixTokens: 4 }, estimateTokens);
  assert.ok(context.prefix.endsWith(short.prefix) && short.prefix.length < context.prefix.length && short.prefix.startsWith("line"));
  assert.ok(context.suffix.startsWith(short.suffix) && short.suffix.length < context.suffix.length && short.suffix.length > 0);
  assert.deepEqual(short.snippets, []);
  assert.equal(sharedStart("abcd", "abxy"), 2);
});

let engine: EngineClient;
before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 4096, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
});
after(() => engine.dispose());

test("cold: a short prompt first, the full context behind it, then the next keystroke is warm", { timeout: 180_000 }, async () => {
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 50 });
  const first = await pipeline.complete(at(FILE, 1500, "const a"));
  assert.equal(first.source, first.items.length ? "model" : "none");
  assert.equal(pipeline.lastShortPrompt, true, "the first request in the file is answered from a short prompt");
  assert.ok(first.stats!.promptTokens < 200, `short prompt: ${first.stats!.promptTokens} tokens`);

  // The full context is evaluated once no request comes for a moment.
  const deadline = Date.now() + 120_000;
  while (pipeline.fullContextPending && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(pipeline.fullContextPending, false);

  pipeline.cache.clear();
  const next = await pipeline.complete(at(FILE, 1500, "const ab"));
  assert.equal(pipeline.lastShortPrompt, false, "the next keystroke uses the full context");
  assert.ok(next.stats!.promptTokens > first.stats!.promptTokens * 2, `full prompt: ${next.stats!.promptTokens} tokens`);
  assert.ok(next.stats!.evaluatedTokens < 64, `only the tail is evaluated (${next.stats!.evaluatedTokens} of ${next.stats!.promptTokens})`);
});

test("without cold start (the CLI, the default options) a cold request evaluates the full prompt", { timeout: 180_000 }, async () => {
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve(".")));
  const outcome = await pipeline.complete(at(FILE, 700, "return th"));
  assert.equal(pipeline.lastShortPrompt, false);
  assert.ok(outcome.stats!.promptTokens > 300);
});

test("after warm-ahead at the cursor the first keystroke there is warm: the full prompt, only the typed line evaluated", { timeout: 180_000 }, async () => {
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true });
  const warmed = await pipeline.warm(at(FILE, 2100, ""));
  assert.ok(warmed && warmed.promptTokens > 300, "the file's context up to the middle token was evaluated");
  const first = await pipeline.complete(at(FILE, 2100, "c"));
  assert.equal(pipeline.lastShortPrompt, false, "no short prompt: the cache is warm");
  assert.ok(first.stats!.evaluatedTokens < 16, `evaluated ${first.stats!.evaluatedTokens} of ${first.stats!.promptTokens}`);
});
