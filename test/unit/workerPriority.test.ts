// The worker runs below the extension host's priority, so ghost text shown while the model still generates
// reaches the screen without waiting for the worker's threads (2 cores); a real worker process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { getPriority } from "node:os";
import { EngineClient } from "../../src/engine/client";
import { WORKER_NICENESS } from "../../src/engine/workerPriority";
import { tinyModelPath } from "../helpers/models";

test("the worker runs at a lower priority than the process that started it, and answers as before", { timeout: 120_000 }, async () => {
  const engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
    await engine.ensureModel();
    const pid = engine.workerPid;
    assert.ok(pid, "the worker is running");
    assert.equal(getPriority(pid), Math.min(19, getPriority() + WORKER_NICENESS));
    const result = await engine.complete({ infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 4 });
    assert.ok(result.stats.generatedTokens > 0);
  } finally {
    engine.dispose();
  }
});

test("niceness 0 leaves the worker at the host's priority", { timeout: 120_000 }, async () => {
  const engine = new EngineClient({ workerPath: resolve("dist/worker.mjs"), niceness: 0 });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
    await engine.ensureModel();
    assert.equal(getPriority(engine.workerPid!), getPriority());
  } finally {
    engine.dispose();
  }
});
