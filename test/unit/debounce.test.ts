import { test } from "node:test";
import assert from "node:assert/strict";
import { AdaptiveDebounce, atEndOfWriting, wait } from "../../src/completion/debounce";

test("follows the typing rhythm within bounds", () => {
  const fast = new AdaptiveDebounce();
  for (let t = 1000; t <= 2000; t += 40) fast.keystroke(t);
  const slow = new AdaptiveDebounce();
  for (let t = 1000; t <= 5000; t += 180) slow.keystroke(t);
  assert.ok(fast.delay(false) < slow.delay(false), `${fast.delay(false)} < ${slow.delay(false)}`);
  assert.equal(fast.delay(false), 48);
  assert.ok(slow.delay(false) <= 250);
});

test("is shorter at the end of a line, never below the minimum", () => {
  const d = new AdaptiveDebounce();
  for (let t = 0; t <= 1000; t += 100) d.keystroke(t + 1);
  assert.ok(d.delay(true) < d.delay(false));
  const veryFast = new AdaptiveDebounce();
  for (let t = 1; t <= 200; t += 2) veryFast.keystroke(t);
  assert.equal(veryFast.delay(true), 15);
});

test("long pauses are not averaged in", () => {
  const d = new AdaptiveDebounce();
  d.keystroke(1);
  d.keystroke(61);
  d.keystroke(10_000);
  d.keystroke(10_060);
  assert.equal(d.delay(false), 72);
});

test("a key after a pause waits the least, whatever the rhythm before it; the next key in the burst waits by the rhythm again", () => {
  const d = new AdaptiveDebounce();
  assert.equal(d.delay(false), 15, "the first key");
  for (let t = 1000; t <= 3000; t += 200) d.keystroke(t);
  assert.equal(d.delay(false), 240, "typing every 200 ms");
  d.keystroke(6000);
  assert.equal(d.delay(false), 15, "a key 3 s later");
  assert.equal(d.delay(true), 15);
  d.keystroke(6200);
  assert.equal(d.delay(false), 240, "the burst it starts");
});

test("wait resolves false when aborted", async () => {
  const controller = new AbortController();
  const pending = wait(10_000, controller.signal);
  controller.abort();
  assert.equal(await pending, false);
  assert.equal(await wait(1), true);
});

test("the end of what is written: only auto-closed brackets and quotes, perhaps a ; or , after them, follow", () => {
  for (const suffix of ["", "  ", ")", ");", "))", "]", "}", "\")", "'", "`", "),", ") "]) assert.equal(atEndOfWriting(suffix), true, JSON.stringify(suffix));
  for (const suffix of [" + b)", "x)", ", b)", ";)", "// note", "=> {"]) assert.equal(atEndOfWriting(suffix), false, JSON.stringify(suffix));
});
