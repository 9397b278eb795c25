import { test } from "node:test";
import assert from "node:assert/strict";
import { GenerationQueue } from "../../src/engine/worker/generationQueue";
import { EngineError } from "../../src/engine/protocol";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test("runs one job at a time, interactive before background, FIFO within a priority", async () => {
  const queue = new GenerationQueue();
  const order: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const job = (name: string) => async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    order.push(name);
    await tick();
    running--;
    return name;
  };
  const never = new AbortController().signal;
  const first = queue.run("interactive", never, job("first"));
  const bg = queue.run("background", never, job("bg"));
  const a = queue.run("interactive", never, job("a"));
  const b = queue.run("interactive", never, job("b"));
  assert.equal(queue.pending, 4);
  assert.deepEqual(await Promise.all([first, bg, a, b]), ["first", "bg", "a", "b"]);
  assert.deepEqual(order, ["first", "a", "b", "bg"]);
  assert.equal(maxRunning, 1);
  assert.equal(queue.pending, 0);
});

test("a cancelled queued job is removed and rejects as cancelled without running", async () => {
  const queue = new GenerationQueue();
  let ran = false;
  const blocker = queue.run("interactive", new AbortController().signal, () => tick(20));
  const controller = new AbortController();
  const cancelled = queue.run("interactive", controller.signal, async () => {
    ran = true;
  });
  controller.abort();
  await assert.rejects(cancelled, (e: unknown) => e instanceof EngineError && e.code === "cancelled");
  await blocker;
  assert.equal(ran, false);
});

test("an interactive job pre-empts a running background job", async () => {
  const queue = new GenerationQueue();
  const background = queue.run("background", new AbortController().signal, async (signal) => {
    while (!signal.aborted) await tick(2);
    throw signal.reason;
  });
  await tick();
  const interactive = queue.run("interactive", new AbortController().signal, async () => "done");
  await assert.rejects(background, (e: unknown) => e instanceof EngineError && /Pre-empted/.test(e.message));
  assert.equal(await interactive, "done");
});

test("an already aborted signal rejects at once", async () => {
  const queue = new GenerationQueue();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(queue.run("interactive", controller.signal, async () => 1), { code: "cancelled" });
});
