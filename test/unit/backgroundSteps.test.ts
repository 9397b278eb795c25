// Prefetch and warm-up steps are sized by time (src/engine/worker/backgroundSteps.ts): a keystroke that pre-empts
// one waits for one step, however fast the machine evaluates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BackgroundSteps } from "../../src/engine/worker/backgroundSteps";

test("background steps shrink on a slow machine and grow on a fast one, within bounds", () => {
  const slow = new BackgroundSteps();
  const first = slow.size;
  for (let i = 0; i < 20; i++) slow.observe(32, 240); // one thread on 2 cores: ~133 tokens/s
  assert.ok(slow.size < first, `slower steps: ${first} → ${slow.size} tokens`);
  assert.equal(slow.size, Math.round(80 * (32 / 240)), "about 80 ms of evaluation");

  const fast = new BackgroundSteps();
  for (let i = 0; i < 20; i++) fast.observe(32, 40); // a fast machine
  assert.equal(fast.size, 64, "never above 64 tokens");

  const crawling = new BackgroundSteps();
  for (let i = 0; i < 20; i++) crawling.observe(8, 4000);
  assert.equal(crawling.size, 8, "never below 8 tokens (each decode call has a cost of its own)");

  const unchanged = new BackgroundSteps();
  unchanged.observe(0, 100);
  unchanged.observe(10, 0);
  assert.equal(unchanged.size, first, "an empty or unmeasured step teaches nothing");
});
