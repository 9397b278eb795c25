// Settings reach the pipeline on every request (no reload), and warm-ahead passes the same gate as typing:
// real worker, real inference on the tiny model, the real tree-sitter context.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import type { CompleteParams } from "../../src/engine/protocol";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type CompletionEngine, type CompletionOptions, type DocumentPosition } from "../../src/completion/pipeline";
import { createContextSource } from "../../src/cli/contextSource";
import { tinyModelPath } from "../helpers/models";

let engine: EngineClient;
/** The real engine, recording what each request asked for (it still runs every request). */
let recorded: CompleteParams[];
let recording: CompletionEngine;

const TEXT = "export function total(values: number[]): number {\n  let sum = 0;\n  \n  return sum;\n}\n";

function at(text: string, marker: string, languageId = "typescript"): DocumentPosition {
  return { key: "src/total.ts", relativePath: "src/total.ts", languageId, text, offset: text.indexOf(marker) + marker.length, repoName: "sample-workspace" };
}

before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
  recorded = [];
  recording = {
    get model() {
      return engine.model;
    },
    ensureModel: () => engine.ensureModel(),
    complete: (params, options) => {
      recorded.push(params);
      return engine.complete(params, options);
    },
  };
});

after(() => engine.dispose());

test("multiline and the token caps are read on every request, not once", { timeout: 120_000 }, async () => {
  let options: CompletionOptions = { ...DEFAULT_COMPLETION_OPTIONS, multiline: "never", maxTokensSingle: 5, maxTokensMulti: 7 };
  const pipeline = new CompletionPipeline(recording, await createContextSource(resolve("test/fixtures/sample-workspace")), () => options);
  recorded.length = 0;
  const single = await pipeline.complete(at(TEXT, "sum = 0;\n  "));
  assert.equal(recorded.at(-1)?.maxTokens, 5, "single-line cap of the first settings");
  assert.ok(single.stats && single.stats.generatedTokens <= 5);

  options = { ...options, multiline: "always", maxTokensMulti: 9 };
  pipeline.cache.clear();
  const multi = await pipeline.complete(at(TEXT, "sum = 0;\n  "));
  assert.equal(recorded.at(-1)?.maxTokens, 9, "the changed multi-line cap, without a new pipeline");
  assert.ok(!recorded.at(-1)?.stop?.includes("\n"), "multi-line: a newline does not stop it");
  assert.ok(multi.stats && multi.stats.generatedTokens <= 9);
});

test("warm-ahead obeys the typing gate: disabled, a disabled language, a too-large file", { timeout: 120_000 }, async () => {
  let options: CompletionOptions = { ...DEFAULT_COMPLETION_OPTIONS, enabled: false };
  const pipeline = new CompletionPipeline(recording, await createContextSource(resolve("test/fixtures/sample-workspace")), () => options);
  const requests = () => engine.requestCounts.complete ?? 0;

  let before = requests();
  assert.equal(await pipeline.warm(at(TEXT, "sum = 0;\n  ")), undefined);
  assert.equal(requests(), before, "completions disabled: nothing is evaluated");

  options = { ...DEFAULT_COMPLETION_OPTIONS, enabled: true, languages: { "*": true, typescript: false } };
  assert.equal(await pipeline.warm(at(TEXT, "sum = 0;\n  ")), undefined);
  assert.equal(requests(), before, "the language is switched off: nothing is evaluated");

  options = { ...DEFAULT_COMPLETION_OPTIONS, enabled: true, languages: { "*": true } };
  const huge = `${"// filler line of a generated file\n".repeat(130_000)}${TEXT}`;
  assert.ok(huge.length > 4 * 1024 * 1024);
  assert.equal(await pipeline.warm(at(huge, "sum = 0;\n  ")), undefined);
  assert.equal(requests(), before, "a file over the gate's size limit: nothing is evaluated");

  before = requests();
  const stats = await pipeline.warm(at(TEXT, "sum = 0;\n  "));
  assert.ok(stats && stats.promptTokens > 0, "enabled: the stable part is evaluated");
  assert.equal(requests(), before + 1);
});
