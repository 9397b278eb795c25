import { test } from "node:test";
import assert from "node:assert/strict";
import { StopScanner } from "../../src/engine/worker/stopScanner";

function feed(stops: string[], pieces: string[]) {
  const scanner = new StopScanner(stops);
  let decoded = "";
  const deltas: string[] = [];
  let stopped = false;
  for (const piece of pieces) {
    decoded += piece;
    const step = scanner.update(decoded);
    if (step.delta) deltas.push(step.delta);
    if (step.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) {
    const tail = scanner.flush();
    if (tail) deltas.push(tail);
  }
  return { deltas, stopped, text: scanner.text };
}

test("cuts at the first stop string and never emits it", () => {
  const r = feed(["\n\n"], ["foo(", "bar)", "\n", "\nnext"]);
  assert.equal(r.stopped, true);
  assert.equal(r.text, "foo(bar)");
  assert.equal(r.deltas.join(""), "foo(bar)");
});

test("holds back a tail that may become a stop string, then releases it", () => {
  const scanner = new StopScanner(["</end>"]);
  assert.deepEqual(scanner.update("abc</e"), { delta: "abc", stopped: false });
  assert.deepEqual(scanner.update("abc</ex"), { delta: "</ex", stopped: false });
});

test("chooses the earliest of several stop strings", () => {
  const r = feed(["}", ";"], ["a = 1; }"]);
  assert.equal(r.text, "a = 1");
});

test("holds back an incomplete multi-byte character", () => {
  const scanner = new StopScanner([]);
  assert.deepEqual(scanner.update("é\uFFFD"), { delta: "é", stopped: false });
  assert.deepEqual(scanner.update("éü"), { delta: "ü", stopped: false });
});

test("without stop strings everything streams through", () => {
  const r = feed([], ["a", "b", "c"]);
  assert.deepEqual(r.deltas, ["a", "b", "c"]);
  assert.equal(r.stopped, false);
});
