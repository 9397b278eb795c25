// Choosing the llama.cpp binary the worker loads (prebuilt or the opt-in native build), with the real worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { LLAMA_BUILD_ENV, parseLlamaBuildChoice } from "../../src/engine/worker/llamaBuild";
import { tinyModelPath } from "../helpers/models";

const workerPath = resolve("dist/worker.mjs");

test("parses the FREEHOLD_LLAMA_BUILD values and ignores anything else", () => {
  assert.equal(parseLlamaBuildChoice("auto"), "auto");
  assert.equal(parseLlamaBuildChoice("native"), "native");
  assert.equal(parseLlamaBuildChoice("prebuilt"), "prebuilt");
  assert.equal(parseLlamaBuildChoice("Native"), undefined);
  assert.equal(parseLlamaBuildChoice(""), undefined);
  assert.equal(parseLlamaBuildChoice(undefined), undefined);
});

test("a worker asked for the prebuilt binary loads it and says which CPU features it uses", async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  const env = { ...process.env };
  delete env[LLAMA_BUILD_ENV];
  const engine = new EngineClient({ workerPath, env });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 512, gpuLayers: 0, threads: 1, llamaBuild: "prebuilt" });
    const info = await engine.ensureModel();
    assert.equal(info.llamaBuild, "prebuilt");
    assert.match(info.systemInfo ?? "", /CPU/);
  } finally {
    await engine.dispose();
  }
});

test("the worker's FREEHOLD_LLAMA_BUILD overrides the binary the host asks for", async () => {
  const engine = new EngineClient({ workerPath, env: { ...process.env, [LLAMA_BUILD_ENV]: "prebuilt" } });
  try {
    engine.setModel({ path: await tinyModelPath(), contextSize: 512, gpuLayers: 0, threads: 1, llamaBuild: "native" });
    const info = await engine.ensureModel();
    assert.equal(info.llamaBuild, "prebuilt");
  } finally {
    await engine.dispose();
  }
});
