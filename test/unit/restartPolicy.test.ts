// The one restart policy every worker fork goes through: backoff, circuit breaker, forks-per-minute cap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RestartPolicy } from "../../src/engine/restartPolicy";

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test("backoff grows with consecutive failures and a healthy worker ends the run", () => {
  const time = clock();
  const policy = new RestartPolicy({ backoffMs: [0, 1000, 5000], breakAfter: 10, now: time.now });
  assert.deepEqual(policy.decide(), { kind: "now" });
  policy.recordFork();
  policy.recordFailure();
  assert.deepEqual(policy.decide(), { kind: "now" }, "the first restart is immediate");
  policy.recordFork();
  policy.recordFailure();
  assert.deepEqual(policy.decide(), { kind: "wait", ms: 1000 });
  time.advance(400);
  assert.deepEqual(policy.decide(), { kind: "wait", ms: 600 });
  time.advance(600);
  policy.recordFork();
  policy.recordFailure();
  assert.deepEqual(policy.decide(), { kind: "wait", ms: 5000 });
  policy.recordFailure();
  assert.deepEqual(policy.decide(), { kind: "wait", ms: 5000 }, "the last delay repeats");
  policy.recordHealthy();
  assert.deepEqual(policy.decide(), { kind: "now" });
});

test("the breaker opens after N failures in a row and only a reset closes it", () => {
  const time = clock();
  const policy = new RestartPolicy({ backoffMs: [0], breakAfter: 3, now: time.now });
  for (let i = 0; i < 3; i++) {
    assert.notEqual(policy.decide().kind, "open");
    policy.recordFork();
    policy.recordFailure();
  }
  assert.deepEqual(policy.decide(), { kind: "open", failures: 3 });
  time.advance(3_600_000);
  assert.equal(policy.decide().kind, "open", "time alone does not close it");
  policy.reset();
  assert.deepEqual(policy.decide(), { kind: "now" });
});

test("never more forks in a minute than the cap, whatever the reason", () => {
  const time = clock();
  const policy = new RestartPolicy({ maxForksPerMinute: 3, now: time.now });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(policy.decide(), { kind: "now" });
    policy.recordFork();
    time.advance(10_000);
  }
  assert.deepEqual(policy.decide(), { kind: "wait", ms: 30_000 }, "the oldest fork leaves the window in 30 s");
  assert.equal(policy.forksInLastMinute(), 3);
  time.advance(30_000);
  assert.deepEqual(policy.decide(), { kind: "now" });
  assert.equal(policy.forksInLastMinute(), 2);
});
