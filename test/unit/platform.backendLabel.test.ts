// The status tooltip's "Runs on" line: the GPU backend and offloaded layers, or the CPU; checked on the
// model info a real worker reports too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { backendLabel } from "../../src/platform/backendLabel";
import { tinyModelPath } from "../helpers/models";

test("names the backend and the offloaded layers, or the CPU", () => {
  assert.equal(backendLabel({ gpu: "metal", gpuLayers: 33, llamaBuild: "prebuilt" }), "Runs on: Metal GPU, 33 layers offloaded (prebuilt llama.cpp)");
  assert.equal(backendLabel({ gpu: "vulkan", gpuLayers: 1 }), "Runs on: Vulkan GPU, 1 layer offloaded (prebuilt llama.cpp)");
  assert.equal(backendLabel({ gpu: "cuda", gpuLayers: 12, llamaBuild: "native" }), "Runs on: CUDA GPU, 12 layers offloaded (native llama.cpp build)");
  assert.equal(backendLabel({ gpu: false, gpuLayers: 0, llamaBuild: "prebuilt" }), "Runs on: CPU (prebuilt llama.cpp)");
  // Apple Silicon with freehold.model.gpuLayers 0: the Metal binary, nothing offloaded.
  assert.equal(backendLabel({ gpu: "metal", gpuLayers: 0 }), "Runs on: CPU (Metal available, no layers offloaded; prebuilt llama.cpp)");
});

test("a real worker's model info reads as the CPU on this machine", async () => {
  const engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 512, gpuLayers: 0, threads: 1, llamaBuild: "prebuilt" });
    const info = await engine.ensureModel();
    assert.equal(backendLabel(info), "Runs on: CPU (prebuilt llama.cpp)");
  } finally {
    await engine.dispose();
  }
});
