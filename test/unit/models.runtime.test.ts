// The model runtime on the real worker with the generated tiny model: the first-load self-benchmark, and the
// idle unload that stops the worker after a quiet spell and loads the model again on the next request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { runSelfBenchmark } from "../../src/models/selfBenchmark";
import { IdleUnloader } from "../../src/models/idleUnload";
import { tinyModelPath } from "../helpers/models";

let engine: EngineClient;
let unloader: IdleUnloader | undefined;
let idleMs = 0;

before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs"), onStatus: (status) => unloader?.onState(status.state) });
  engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
});

after(async () => {
  await engine.dispose();
});

test("the self-benchmark measures generation and prompt speed on the loaded model", async () => {
  const before = engine.requestCounts.complete ?? 0;
  const result = await runSelfBenchmark(engine, { durationMs: 5000 });
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

test("idle unload stops the worker after the idle time; the next request loads the model again", async () => {
  const unloaded: number[] = [];
  unloader = new IdleUnloader({
    idleMs: () => idleMs,
    currentState: () => engine.status.state,
    unload: () => {
      unloaded.push(engine.workerPid ?? -1);
      return engine.stopWorker();
    },
  });
  idleMs = 300;
  await engine.ensureModel();
  const firstPid = engine.workerPid;
  // Requests keep it loaded: each one moves the timer.
  await engine.complete({ prompt: [{ text: "let x = " }], maxTokens: 4, priority: "interactive" });
  await waitUntil(() => engine.workerPid === undefined && engine.model === undefined, "the worker stopped after the idle time");
  assert.deepEqual(unloaded, [firstPid]);
  assert.equal(engine.status.state, "idle");

  const result = await engine.complete({ prompt: [{ text: "let y = " }], maxTokens: 4, priority: "interactive" });
  assert.ok(result.stats.generatedTokens > 0, "the model loaded again on the next request");
  assert.ok(engine.workerPid && engine.workerPid !== firstPid);

  idleMs = 0;
  unloader.onState("ready");
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(unloaded.length, 1, "0 minutes keeps the model loaded");
  unloader.clear();
});

async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
