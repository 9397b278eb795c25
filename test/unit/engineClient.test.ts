// The engine client and the worker bundle, with real inference on the generated tiny model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { EngineError, type LoadModelParams } from "../../src/engine/protocol";
import { tinyModelPath } from "../helpers/models";

const workerPath = resolve("dist/worker.mjs");
let model: LoadModelParams;
let engine: EngineClient;
let scratch: string;

before(async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  model = { path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 };
  scratch = await mkdtemp(join(tmpdir(), "freehold-engine-"));
  engine = new EngineClient({ workerPath, backoffMs: [0, 100] });
  engine.setModel(model);
});

after(async () => {
  await engine.dispose();
  await rm(scratch, { recursive: true, force: true });
});

test("loads the tiny model in a worker process and reports what it is", async () => {
  const info = await engine.ensureModel();
  assert.equal(info.architecture, "llama");
  assert.equal(info.infill, true);
  assert.equal(info.threads, 2);
  assert.ok(info.contextSize >= 1024);
  assert.ok(engine.workerPid && engine.workerPid !== process.pid);
  const status = await engine.workerStatus();
  assert.equal(status.state, "ready");
  assert.equal(status.model?.path, model.path);
  assert.ok(status.rssBytes > 0);
});

test("greedy infill is deterministic and streams the same text it returns", async () => {
  const request = { infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 20 };
  const streamed: string[] = [];
  const first = await engine.complete(request, { onEvent: (e) => streamed.push(e.text) });
  const second = await engine.complete(request);
  assert.ok(first.stats.generatedTokens > 0);
  assert.equal(streamed.join(""), first.text);
  assert.equal(second.text, first.text);
  assert.equal(second.stats.generatedTokens, first.stats.generatedTokens);
});

test("a request after one more typed character evaluates only the new tokens (KV reuse)", async () => {
  const prompt = (typed: string) => [
    { special: "<|fim_prefix|>" },
    { text: "import { readFile } from 'node:fs';\n\nexport function load(path) {\n" },
    { special: "<|fim_suffix|>" },
    { text: "\n}\n" },
    { special: "<|fim_middle|>" },
    { text: typed },
  ];
  const cold = await engine.complete({ prompt: prompt("  const data = rea"), maxTokens: 4 });
  const warm = await engine.complete({ prompt: prompt("  const data = read"), maxTokens: 4 });
  assert.ok(cold.stats.promptTokens > 20);
  assert.ok(warm.stats.reusedTokens >= cold.stats.promptTokens - 3, `reused ${warm.stats.reusedTokens} of ${warm.stats.promptTokens}`);
  assert.ok(warm.stats.evaluatedTokens <= 3, `evaluated ${warm.stats.evaluatedTokens}`);
  assert.equal(warm.stats.evaluatedTokens + warm.stats.reusedTokens, warm.stats.promptTokens);
});

test("stops before a stop string and at max tokens", async () => {
  const free = await engine.complete({ infill: { prefix: "const x = ", suffix: "" }, maxTokens: 30 });
  assert.equal(free.stopReason, "max-tokens");
  assert.equal(free.stats.generatedTokens, 30);
  const needle = free.text.slice(3, 5);
  assert.ok(needle.length === 2);
  const stopped = await engine.complete({ infill: { prefix: "const x = ", suffix: "" }, maxTokens: 30, stop: [needle] });
  assert.equal(stopped.stopReason, "stop-string");
  assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(needle)));
});

test("a prompt from special tokens the model lacks is refused clearly", async () => {
  await assert.rejects(engine.complete({ prompt: [{ special: "<no_such_token>" }], maxTokens: 2 }), {
    code: "bad-request",
    message: /no special token "<no_such_token>"/,
  });
});

test("counts tokens", async () => {
  const { count, tokens } = await engine.tokenize("function main() { return 42; }");
  assert.equal(count, tokens.length);
  assert.ok(count > 3);
  const special = await engine.tokenize("<|fim_prefix|>", true);
  assert.equal(special.count, 1);
});

test("a follow-up chat turn reuses the conversation's evaluated state", async () => {
  const streamed: string[] = [];
  const first = await engine.chat(
    { conversationId: "c1", history: [], message: "Write a function that adds two numbers.", maxTokens: 24 },
    { onEvent: (e) => streamed.push(e.text) },
  );
  assert.ok(first.stats.generatedTokens > 0);
  assert.equal(streamed.join(""), first.text);
  const followUp = await engine.chat({
    conversationId: "c1",
    history: [
      { role: "user", text: "Write a function that adds two numbers." },
      { role: "assistant", text: first.text },
    ],
    message: "Now make it subtract.",
    maxTokens: 24,
  });
  assert.ok(followUp.stats.generatedTokens > 0);
  assert.ok(followUp.stats.reusedTokens > first.stats.promptTokens / 2, `reused ${followUp.stats.reusedTokens}, first prompt ${first.stats.promptTokens}`);
  assert.ok(followUp.stats.evaluatedTokens < followUp.stats.promptTokens);
});

test("cancelling a running completion rejects it as cancelled and the worker goes on", async () => {
  const controller = new AbortController();
  const running = engine.complete(
    { infill: { prefix: "let a = ", suffix: "" }, maxTokens: 500 },
    { signal: controller.signal, onEvent: () => controller.abort() },
  );
  await assert.rejects(running, (e: unknown) => e instanceof EngineError && e.code === "cancelled");
  const next = await engine.complete({ infill: { prefix: "let b = ", suffix: "" }, maxTokens: 3 });
  assert.equal(next.stats.generatedTokens, 3);
});

test("a newer request with the same supersede key cancels the older one", async () => {
  const older = engine.complete({ infill: { prefix: "let c = ", suffix: "" }, maxTokens: 500, supersedeKey: "inline" });
  const newer = engine.complete({ infill: { prefix: "let d = ", suffix: "" }, maxTokens: 3, supersedeKey: "inline" });
  await assert.rejects(older, { code: "cancelled" });
  assert.equal((await newer).stats.generatedTokens, 3);
});

test("bad model files fail with one clear line and leave the worker usable", async () => {
  const truncated = join(scratch, "truncated.gguf");
  const bytes = await readFile(model.path);
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const notGguf = join(scratch, "notes.gguf");
  await writeFile(notGguf, "hello, I am not a model\n");
  const cases: Array<[string, RegExp]> = [
    [join(scratch, "missing.gguf"), /Model file not found/],
    [scratch, /is a folder, not a GGUF model file/],
    [notGguf, /is not a GGUF model file/],
    [truncated, /truncated/],
  ];
  const other = new EngineClient({ workerPath });
  try {
    for (const [path, expected] of cases) {
      other.setModel({ ...model, path });
      await assert.rejects(other.ensureModel(), (e: unknown) => {
        assert.ok(e instanceof EngineError);
        assert.equal(e.code, "model-load-failed");
        assert.match(e.message, expected);
        assert.ok(!e.message.includes("\n"), "one line");
        return true;
      });
      assert.equal(other.status.state, "error");
    }
    other.setModel(model);
    assert.equal((await other.ensureModel()).architecture, "llama");
  } finally {
    await other.dispose();
  }
});

test("a model without FIM tokens is chat only: completions are refused with a reason", async () => {
  const chatOnly = new EngineClient({ workerPath });
  try {
    chatOnly.setModel({ ...model, path: await tinyModelPath({ family: "none" }) });
    const info = await chatOnly.ensureModel();
    assert.equal(info.infill, false);
    await assert.rejects(chatOnly.complete({ infill: { prefix: "a", suffix: "b" }, maxTokens: 2 }), {
      code: "no-infill",
      message: /no fill-in-the-middle tokens/,
    });
  } finally {
    await chatOnly.dispose();
  }
});

test("a worker killed mid-request fails that request clearly; the next request restarts it", async () => {
  const pid = engine.workerPid;
  assert.ok(pid);
  let killed = false;
  const doomed = engine.complete(
    { infill: { prefix: "const list = [", suffix: "];" }, maxTokens: 500 },
    {
      onEvent: () => {
        if (!killed) {
          killed = true;
          process.kill(pid, "SIGKILL");
        }
      },
    },
  );
  await assert.rejects(doomed, (e: unknown) => e instanceof EngineError && e.code === "worker-died" && /stopped unexpectedly \(signal SIGKILL\)/.test(e.message));
  const next = await engine.complete({ infill: { prefix: "let z = ", suffix: "" }, maxTokens: 3 });
  assert.equal(next.stats.generatedTokens, 3);
  assert.notEqual(engine.workerPid, pid);
});

test("a worker that dies while idle is restarted with the model by itself", async () => {
  const pid = engine.workerPid;
  assert.ok(pid);
  process.kill(pid, "SIGKILL");
  const deadline = Date.now() + 30_000;
  while (!(engine.status.state === "ready" && engine.workerPid && engine.workerPid !== pid)) {
    assert.ok(Date.now() < deadline, `restarted within 30 s (state ${engine.status.state})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(engine.requestCounts.loadModel !== undefined && engine.requestCounts.loadModel >= 3, true);
});

test("a request to a missing worker script fails instead of hanging", async () => {
  const broken = new EngineClient({ workerPath: join(scratch, "no-worker.mjs") });
  broken.setModel(model);
  await assert.rejects(broken.ensureModel(), { code: "worker-died" });
  await broken.dispose();
});
