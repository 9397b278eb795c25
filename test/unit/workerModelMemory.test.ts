// On the CPU the worker reads the model file instead of mapping it: llama.cpp keeps its own repacked copy of most
// weights there, so a mapped file would stay resident beside that copy (DESIGN §9's worker memory bound).
// A real worker process; the check reads its memory map from /proc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { mapModelFile } from "../../src/engine/worker/llamaBuild";
import { tinyModelPath } from "../helpers/models";

test("the model file is mapped only when layers may go to a GPU", () => {
  assert.equal(mapModelFile(0, false), false);
  assert.equal(mapModelFile(0, "metal"), false);
  assert.equal(mapModelFile("auto", false), false, "auto on a machine without a usable GPU runs on the CPU");
  assert.equal(mapModelFile("auto", "metal"), true);
  assert.equal(mapModelFile(20, "cuda"), true);
});

test("a CPU worker holds no mapping of the model file once loaded, and answers", { timeout: 120_000, skip: process.platform !== "linux" && "reads /proc" }, async () => {
  const engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  try {
    const modelPath = await tinyModelPath();
    engine.setModel({ path: modelPath, contextSize: 2048, gpuLayers: 0, threads: 1 });
    await engine.ensureModel();
    const pid = engine.workerPid;
    assert.ok(pid, "the worker is running");
    const maps = readFileSync(`/proc/${pid}/maps`, "utf8");
    assert.ok(maps.includes("libllama") || maps.includes("llama-addon"), "the map lists the loaded llama.cpp library, so it is the worker's");
    assert.equal(maps.split("\n").filter((line) => line.endsWith(modelPath)).length, 0, `no mapping of ${modelPath}`);
    const result = await engine.complete({ infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 4 });
    assert.ok(result.stats.generatedTokens > 0);
  } finally {
    engine.dispose();
  }
});
