// The engine's lifecycle under faults, with the real worker and real inference on generated models: each test
// reproduces one of the failures of issue 10 (they failed on a9aef86).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineClient, type EngineStatus } from "../../src/engine/client";
import { EngineError, type LoadModelParams } from "../../src/engine/protocol";
import { tinyModelPath } from "../helpers/models";
import { writeFaultModels, type FaultModels } from "../helpers/faultModels";
import { alive } from "../helpers/processes";

const workerPath = resolve("dist/worker.mjs");
let model: LoadModelParams;
let other: LoadModelParams;
let faults: FaultModels;
let scratch: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  model = { path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 };
  other = { ...model, path: await tinyModelPath({ seed: 2 }) };
  scratch = await mkdtemp(join(tmpdir(), "freehold-lifecycle-"));
  faults = await writeFaultModels(model.path, scratch);
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Worker processes that are children of this test process. */
function workerChildren(): number[] {
  const out = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .filter((line) => line.includes("worker.mjs"))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

test("1: a keystroke completion during a streaming chat answer runs beside it; nothing is killed", async () => {
  // A short grace makes the old watchdog (limit + grace counted from the send) fire while the completion waits.
  const engine = new EngineClient({ workerPath, graceMs: 1000 });
  try {
    engine.setModel(model);
    await engine.ensureModel();
    const pid = engine.workerPid;
    let chatTokens = 0;
    let chatTokensAfterCompletion = 0;
    let completionDone = false;
    let firstToken!: () => void;
    const chatStreaming = new Promise<void>((r) => (firstToken = r));
    const chat = engine.chat(
      { conversationId: "long", history: [], message: "Tell me everything about sorting algorithms.", maxTokens: 60, timeLimitMs: 600_000 },
      {
        onEvent: () => {
          chatTokens++;
          if (completionDone) chatTokensAfterCompletion++;
          firstToken();
        },
      },
    );
    await chatStreaming;
    const completion = await engine.complete({ infill: { prefix: "const total = ", suffix: ";\n" }, maxTokens: 4, timeLimitMs: 2000, supersedeKey: "inline" });
    completionDone = true;
    assert.ok(completion.stats.generatedTokens > 0, "the completion answered");
    assert.ok(chatTokens < 60, `the completion answered while the chat was still streaming (chat had ${chatTokens} of 60 tokens)`);
    const answer = await chat;
    assert.equal(answer.stopReason, "max-tokens");
    assert.ok(chatTokensAfterCompletion > 0, "the chat kept streaming after the completion");
    assert.equal(engine.workerPid, pid, "the worker was not restarted");
    assert.equal(engine.forks, 1);
  } finally {
    await engine.dispose();
  }
});

test("1b: a real hang (SIGSTOP: no heartbeat) is detected; only then is the worker restarted", async () => {
  const engine = new EngineClient({ workerPath, hangMs: 5000 });
  try {
    engine.setModel(model);
    await engine.ensureModel();
    const pid = engine.workerPid!;
    // A short pause is not a hang: the request finishes on the same worker.
    let paused = false;
    const patient = await engine.complete(
      { infill: { prefix: "let q = ", suffix: "" }, maxTokens: 6 },
      {
        onEvent: () => {
          if (paused) return;
          paused = true;
          process.kill(pid, "SIGSTOP");
          setTimeout(() => process.kill(pid, "SIGCONT"), 1000);
        },
      },
    );
    assert.equal(patient.stats.generatedTokens, 6);
    assert.equal(engine.workerPid, pid);
    // A stop that lasts: the watchdog kills the silent worker and says why.
    let stopped = false;
    const hung = engine.complete(
      { infill: { prefix: "let r = ", suffix: "" }, maxTokens: 200 },
      {
        onEvent: () => {
          if (stopped) return;
          stopped = true;
          process.kill(pid, "SIGSTOP");
        },
      },
    );
    await assert.rejects(hung, (e: unknown) => e instanceof EngineError && e.code === "worker-unresponsive" && /stopped responding \(no sign of life for \d+ s\)/.test(e.message));
    const next = await engine.complete({ infill: { prefix: "let s = ", suffix: "" }, maxTokens: 2 });
    assert.equal(next.stats.generatedTokens, 2);
    assert.notEqual(engine.workerPid, pid);
  } finally {
    await engine.dispose();
  }
});

test("2: a failed model switch does not stick: switching back works", async () => {
  const engine = new EngineClient({ workerPath });
  try {
    engine.setModel(model);
    await engine.ensureModel();
    engine.setModel({ ...model, path: faults.unknownArchitecture });
    await assert.rejects(engine.ensureModel(), { code: "model-load-failed" });
    assert.equal(engine.model, undefined, "nothing counts as loaded after a failed load");
    assert.equal(engine.status.state, "error");
    assert.match(engine.status.message ?? "", /unknown-arch\.gguf/);
    engine.setModel(model);
    const back = await engine.complete({ infill: { prefix: "let x = ", suffix: "" }, maxTokens: 2 });
    assert.equal(back.stats.generatedTokens, 2);
    assert.equal(engine.status.state, "ready");
    assert.equal(engine.status.model?.path, model.path);
  } finally {
    await engine.dispose();
  }
});

test("3: a worker that dies while loading is not forked on every request: backoff, then the breaker opens", async () => {
  const messages: string[] = [];
  const killed = new Set<number>();
  let killing = true;
  const onStatus = (status: EngineStatus) => {
    if (status.message) messages.push(status.message);
    // An out-of-memory kill while loading, as the kernel would do it.
    if (killing && status.state === "loading" && status.workerPid && !killed.has(status.workerPid)) {
      killed.add(status.workerPid);
      process.kill(status.workerPid, "SIGKILL");
    }
  };
  const engine = new EngineClient({ workerPath, onStatus, backoffMs: [0, 300], breakAfter: 2 });
  try {
    engine.setModel(model);
    const errors: EngineError[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      await engine.ensureModel().then(
        () => assert.fail("the load cannot succeed while every worker is killed"),
        (error: EngineError) => errors.push(error),
      );
      await sleep(400);
    }
    assert.equal(killed.size, 2, `forked ${killed.size} workers for 8 requests`);
    assert.ok(errors.every((e) => e.code === "worker-died"), errors.map((e) => e.code).join(", "));
    assert.match(errors.at(-1)!.message, /stopped unexpectedly \(signal SIGKILL\)/);
    assert.equal(engine.status.state, "error");
    assert.match(engine.status.message ?? "", /failed 2 times in a row, so it is not started again by itself/);
    assert.ok(!messages.some((m) => /Restarting in 0 s/.test(m)), "no restart is announced when none is scheduled");
    // The user's Restart closes the breaker; with the fault gone, the model loads.
    killing = false;
    await engine.stopWorker();
    assert.equal((await engine.ensureModel()).path, model.path);
    assert.equal(engine.status.state, "ready");
  } finally {
    await engine.dispose();
  }
});

test("4: chat sessions are disposed on Stop, on a failed turn and on a stop-string end", async () => {
  const engine = new EngineClient({ workerPath });
  try {
    engine.setModel(model);
    await engine.ensureModel();
    for (let i = 0; i < 3; i++) {
      const stop = new AbortController();
      await assert.rejects(
        engine.chat({ conversationId: `stopped-${i}`, history: [], message: `Question ${i}`, maxTokens: 200 }, { signal: stop.signal, onEvent: () => stop.abort() }),
        { code: "cancelled" },
      );
    }
    const free = await engine.chat({ conversationId: "probe", history: [], message: "Say something.", maxTokens: 12 });
    const needle = free.text.slice(2, 4);
    for (let i = 0; i < 2; i++) {
      const stopped = await engine.chat({ conversationId: `stop-string-${i}`, history: [], message: "Say something.", maxTokens: 12, stop: [needle] });
      assert.equal(stopped.stopReason, "stop-string");
    }
    // A system prompt that cannot fit the context fails inside the session (node-llama-cpp cannot shift it out).
    for (let i = 0; i < 2; i++) {
      await assert.rejects(engine.chat({ conversationId: `too-long-${i}`, history: [], systemPrompt: "word ".repeat(3000), message: "and?", maxTokens: 8 }), {
        message: /too long prompt or system message/,
      });
    }
    const status = await engine.workerStatus();
    assert.ok(status.chatSessions !== undefined && status.chatSessions <= 1, `the worker holds ${status.chatSessions} chat sessions`);
  } finally {
    await engine.dispose();
  }
});

test("5a: a model switch during a running completion and a chat answer ends them cleanly, then loads", async () => {
  const engine = new EngineClient({ workerPath });
  try {
    engine.setModel(model);
    await engine.ensureModel();
    let streaming!: () => void;
    let chatStreaming!: () => void;
    const bothStreaming = Promise.all([new Promise<void>((r) => (streaming = r)), new Promise<void>((r) => (chatStreaming = r))]);
    const completion = engine.complete({ infill: { prefix: "const list = [", suffix: "];" }, maxTokens: 400 }, { onEvent: () => streaming() });
    const chat = engine.chat({ conversationId: "switch", history: [], message: "Tell me a story.", maxTokens: 400 }, { onEvent: () => chatStreaming() });
    const settled = Promise.allSettled([completion, chat]);
    await bothStreaming;
    engine.setModel(other);
    const info = await engine.ensureModel();
    assert.equal(info.path, other.path);
    for (const outcome of await settled) {
      assert.equal(outcome.status, "rejected");
      const error = (outcome as PromiseRejectedResult).reason as EngineError;
      assert.equal(error.code, "cancelled", `ended cleanly, not: ${error.message}`);
      assert.match(error.message, /model is being changed/);
    }
    const next = await engine.complete({ infill: { prefix: "let y = ", suffix: "" }, maxTokens: 3 });
    assert.equal(next.stats.generatedTokens, 3);
    assert.equal(engine.forks, 1, "the worker was not restarted");
  } finally {
    await engine.dispose();
  }
});

test("5b: Stop while the model loads cancels the load; the next request loads it", async () => {
  const engine = new EngineClient({ workerPath });
  try {
    engine.setModel(model);
    const stop = new AbortController();
    const waiting = engine.ensureModel({ signal: stop.signal });
    setTimeout(() => stop.abort(), 20);
    await assert.rejects(waiting, { code: "cancelled" });
    assert.notEqual(engine.status.state, "loading");
    assert.equal(engine.model, undefined);
    assert.equal((await engine.ensureModel()).path, model.path);
    assert.equal(engine.status.state, "ready");
  } finally {
    await engine.dispose();
  }
});

test("7a: disposing while the worker starts leaves no process behind", async () => {
  assert.deepEqual(workerChildren(), [], "no worker before the test");
  const engine = new EngineClient({ workerPath });
  engine.setModel(model);
  const loading = engine.ensureModel().catch((error: unknown) => error);
  await engine.dispose();
  assert.ok((await loading) instanceof EngineError);
  const deadline = Date.now() + 30_000;
  while (workerChildren().length > 0 && Date.now() < deadline) await sleep(200);
  assert.deepEqual(workerChildren(), [], "the worker started during dispose was stopped");
});

test("7b: `freehold models pull` reports a network error without a usage hint", () => {
  const result = spawnSync(process.execPath, [resolve("dist/cli.mjs"), "models", "pull", "http://127.0.0.1:9/model.gguf", "--out", scratch], { encoding: "utf8" });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Could not reach 127\.0\.0\.1:9/);
  assert.doesNotMatch(result.stderr, /--help/);
});

test("7c: the worker exits promptly when its parent process dies without cleaning up", async () => {
  const script = `const { fork } = require("node:child_process");
    const child = fork(${JSON.stringify(workerPath)}, [], { stdio: "ignore" });
    child.on("message", (m) => { if (m.type === "ready") console.log(child.pid); });`;
  const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const workerPid = await new Promise<number>((resolvePid, reject) => {
    parent.stdout.on("data", (data: Buffer) => resolvePid(Number(data.toString().trim())));
    parent.on("exit", () => reject(new Error("the parent exited before its worker was ready")));
  });
  assert.ok(workerPid > 0);
  parent.kill("SIGKILL");
  const deadline = Date.now() + 15_000;
  while (alive(workerPid) && Date.now() < deadline) await sleep(100);
  assert.equal(alive(workerPid), false, "the orphaned worker exited");
});
