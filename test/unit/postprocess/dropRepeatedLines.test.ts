import { test } from "node:test";
import assert from "node:assert/strict";
import { dropRepeatedLines } from "../../../src/completion/postprocess/dropRepeatedLines";
import { candidate, context } from "./helpers";

test("drops a result that is just the next line again", () => {
  const ctx = context({ linePrefix: "  ", nextLines: ["  const b = 2;"] });
  assert.equal(dropRepeatedLines(candidate("const b = 2;"), ctx), undefined);
});

test("keeps the new lines before a repeat of the following lines", () => {
  const ctx = context({ nextLines: ["  validate(input);", "  return save(input);"], multiline: true });
  assert.deepEqual(
    dropRepeatedLines(candidate("normalize(input);\n  validate(input);\n  return save(input);"), ctx),
    candidate("normalize(input);"),
  );
});

test("keeps results that only share a short line", () => {
  const ctx = context({ nextLines: ["}", "x();"], multiline: true });
  assert.deepEqual(dropRepeatedLines(candidate("a();\n}"), ctx), candidate("a();\n}"));
});
