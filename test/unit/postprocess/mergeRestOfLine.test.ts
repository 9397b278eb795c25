import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeRestOfLine } from "../../../src/completion/postprocess/mergeRestOfLine";
import { candidate, context } from "./helpers";

test("a result that writes the auto-closed bracket replaces it", () => {
  assert.deepEqual(mergeRestOfLine(candidate("a, b)"), context({ linePrefix: "sum(", lineSuffix: ")" })), { text: "a, b)", replaceChars: 1 });
});

test("closers in order inside the result: cut after the last and replace them", () => {
  assert.deepEqual(mergeRestOfLine(candidate('hello");'), context({ linePrefix: 'log("', lineSuffix: '");' })), { text: 'hello");', replaceChars: 3 });
  assert.deepEqual(mergeRestOfLine(candidate("x] + y[0]; z"), context({ linePrefix: "a[", lineSuffix: "];" })), { text: "x] + y[0];", replaceChars: 2 });
});

test("a result that does not contain the rest of the line is inserted before it", () => {
  assert.deepEqual(mergeRestOfLine(candidate("a, b"), context({ linePrefix: "sum(", lineSuffix: ")" })), candidate("a, b"));
});

test("nothing after the cursor: unchanged", () => {
  assert.deepEqual(mergeRestOfLine(candidate("foo()"), context({ linePrefix: "x = " })), candidate("foo()"));
});
