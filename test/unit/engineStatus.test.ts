// The status text says exactly what is true and what is scheduled (issue 10, item 3: it said "Restarting in 0 s"
// when nothing was scheduled).
import { test } from "node:test";
import assert from "node:assert/strict";
import { engineStatus, type StatusFacts } from "../../src/engine/engineStatus";

const now = 1_000_000;
const base: StatusFacts = {
  worker: { kind: "absent" },
  model: { kind: "none" },
  generating: 0,
  failuresInARow: 0,
  breakerOpen: false,
  breakerMessage: "The Freehold worker failed 5 times in a row, so it is not started again by itself.",
  now,
};
const died = "The Freehold worker stopped unexpectedly (signal SIGKILL).";

test("a dead worker says what happens next: a scheduled restart, the next request, or nothing (breaker)", () => {
  const scheduled = engineStatus({ ...base, worker: { kind: "dead", reason: died }, restoreAt: now + 2000 });
  assert.equal(scheduled.state, "error");
  assert.equal(scheduled.message, `${died} Restarting in 2 s.`);

  const onRequest = engineStatus({ ...base, worker: { kind: "dead", reason: died } });
  assert.equal(onRequest.message, `${died} It starts again on the next request.`);
  assert.doesNotMatch(onRequest.message ?? "", /Restarting/);

  const backedOff = engineStatus({ ...base, worker: { kind: "dead", reason: died }, nextForkAt: now + 4500 });
  assert.equal(backedOff.message, `${died} It starts again on the next request (not before 5 s from now).`);

  const open = engineStatus({ ...base, worker: { kind: "dead", reason: died }, breakerOpen: true, restoreAt: now });
  assert.equal(open.message, `${died} ${base.breakerMessage}`);
});

test("loading, a delayed start, ready, generating and a failed load", () => {
  const delayed = engineStatus({ ...base, worker: { kind: "starting", notBefore: now + 1000 }, model: { kind: "loading", progress: 0 }, failuresInARow: 2 });
  assert.equal(delayed.state, "loading");
  assert.equal(delayed.message, "Starting the worker in 1 s (after 2 failures in a row).");
  assert.equal(engineStatus({ ...base, worker: { kind: "starting" } }).message, undefined);

  const info = { path: "/m.gguf", name: "m.gguf" } as never;
  const ready = engineStatus({ ...base, worker: { kind: "ready", pid: 42 }, model: { kind: "loaded", info } });
  assert.deepEqual([ready.state, ready.workerPid, ready.model], ["ready", 42, info]);
  assert.equal(engineStatus({ ...base, worker: { kind: "ready", pid: 42 }, model: { kind: "loaded", info }, generating: 1 }).state, "generating");

  const failed = engineStatus({ ...base, worker: { kind: "ready", pid: 42 }, model: { kind: "failed", message: "Could not load b.gguf: Failed to load model" } });
  assert.deepEqual([failed.state, failed.message, failed.model], ["error", "Could not load b.gguf: Failed to load model", undefined]);
});
