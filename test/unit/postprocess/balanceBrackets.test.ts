import { test } from "node:test";
import assert from "node:assert/strict";
import { balanceBrackets } from "../../../src/completion/postprocess/balanceBrackets";
import { candidate, context } from "./helpers";

test("cuts at a closer that nothing opened", () => {
  assert.deepEqual(balanceBrackets(candidate("a, b))"), context({ linePrefix: "call(" })), candidate("a, b)"));
  assert.deepEqual(balanceBrackets(candidate("x + 1; }"), context({ linePrefix: "  const y = " })), candidate("x + 1;"));
});

test("keeps balanced results and closers of brackets opened on the line", () => {
  assert.deepEqual(balanceBrackets(candidate("[1, 2], { a: 3 })"), context({ linePrefix: "f(" })), candidate("[1, 2], { a: 3 })"));
});

test("ignores brackets inside strings", () => {
  assert.deepEqual(balanceBrackets(candidate('")" + x'), context({ linePrefix: "s = " })), candidate('")" + x'));
});

test("drops a result that is only a stray closer", () => {
  assert.equal(balanceBrackets(candidate(")"), context({ linePrefix: "x = 1" })), undefined);
});

test("leaves multi-line results to the block-end trimmer", () => {
  assert.deepEqual(balanceBrackets(candidate("a();\n}"), context({ multiline: true })), candidate("a();\n}"));
});
