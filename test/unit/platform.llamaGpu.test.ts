// getLlama's `gpu` option per platform: node-llama-cpp has no CPU-only prebuilt binary for Apple Silicon,
// so gpuLayers 0 there loads the Metal binary (with nothing offloaded) instead of failing with build "never".
import { test } from "node:test";
import assert from "node:assert/strict";
import { llamaGpuOption } from "../../src/engine/worker/llamaBuild";

test("gpuLayers 0 asks for the CPU binary, except on Apple Silicon where only the Metal one exists", () => {
  assert.equal(llamaGpuOption(0, "linux", "x64"), false);
  assert.equal(llamaGpuOption(0, "win32", "x64"), false);
  assert.equal(llamaGpuOption(0, "win32", "arm64"), false);
  assert.equal(llamaGpuOption(0, "darwin", "x64"), false);
  assert.equal(llamaGpuOption(0, "darwin", "arm64"), "metal");
});

test("any other gpuLayers lets node-llama-cpp pick the best backend it has a binary and driver for", () => {
  for (const platform of ["linux", "win32", "darwin"] as const) {
    assert.equal(llamaGpuOption("auto", platform, "arm64"), "auto");
    assert.equal(llamaGpuOption(20, platform, "x64"), "auto");
  }
});
