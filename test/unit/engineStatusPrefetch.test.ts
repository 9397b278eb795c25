// The status bar says what the user waits for: a prefetch of the next suggestion or a warm-ahead runs on the
// worker without turning the status to "generating" or replacing the last latency shown; a keystroke's completion
// does both. Real worker, real inference on the generated tiny model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient, type EngineStatus } from "../../src/engine/client";
import { tinyModelPath } from "../helpers/models";

const workerPath = resolve("dist/worker.mjs");

test("prefetch and warm-ahead leave the status and its latency alone; an interactive completion sets both", async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  const states: EngineStatus[] = [];
  const engine = new EngineClient({ workerPath, onStatus: (status) => states.push(status) });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
    await engine.ensureModel();
    const prompt = [{ text: "function add(a, b) {\n  return" }];

    states.length = 0;
    await engine.complete({ prompt, maxTokens: 8, priority: "prefetch" });
    await engine.complete({ prompt, maxTokens: 1, evaluateOnly: true, priority: "background" });
    assert.ok(states.every((s) => s.state !== "generating"), `no "generating" during prefetch or warm-ahead (saw ${states.map((s) => s.state).join(", ")})`);
    assert.ok(states.every((s) => s.lastLatencyMs === undefined), "no latency shown before anything the user waited for");

    states.length = 0;
    await engine.complete({ prompt, maxTokens: 8, priority: "interactive" });
    assert.ok(states.some((s) => s.state === "generating"), "an interactive completion shows generating");
    assert.equal(states.at(-1)?.state, "ready");
    assert.equal(typeof states.at(-1)?.lastLatencyMs, "number", "and then its latency");
  } finally {
    await engine.dispose();
  }
});
