// The first-load self-benchmark on the real worker with the generated tiny model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { runSelfBenchmark } from "../../src/models/selfBenchmark";
import { tinyModelPath } from "../helpers/models";

let engine: EngineClient;

before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
});

after(async () => {
  await engine.dispose();
});

test("the self-benchmark measures generation and prompt speed on the loaded model", async () => {
  const before = engine.requestCounts.complete ?? 0;
  const result = await runSelfBenchmark(engine, { durationMs: 1500 });
  assert.ok(result, "something was measured");
  assert.ok(result.generatedTokens > 0);
  assert.ok(result.generationTokensPerSecond > 0);
  assert.ok(result.promptTokensPerSecond > 0);
  assert.equal(result.runs, (engine.requestCounts.complete ?? 0) - before);
});

test("a cancelled self-benchmark stops and reports nothing", async () => {
  const controller = new AbortController();
  controller.abort();
  assert.equal(await runSelfBenchmark(engine, { durationMs: 5000, signal: controller.signal }), undefined);
});
