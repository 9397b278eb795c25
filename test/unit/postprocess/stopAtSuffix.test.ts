import { test } from "node:test";
import assert from "node:assert/strict";
import { stopAtSuffix } from "../../../src/completion/postprocess/stopAtSuffix";
import { candidate, context } from "./helpers";

test("cuts a multi-line result where it reaches the next line of the file", () => {
  const ctx = context({ nextLines: ["", "  return total;", "}"], multiline: true });
  assert.deepEqual(stopAtSuffix(candidate("total += x;\n  return total;\n}"), ctx), candidate("total += x;"));
});

test("recognises a closing brace line", () => {
  const ctx = context({ nextLines: ["}"], multiline: true });
  assert.deepEqual(stopAtSuffix(candidate("a();\n  b();\n}\nfunction next() {"), ctx), candidate("a();\n  b();"));
});

test("leaves results that do not reach the suffix, and the first line alone", () => {
  const ctx = context({ nextLines: ["  return total;"] });
  assert.deepEqual(stopAtSuffix(candidate("total += x;\n  log(x);"), ctx), candidate("total += x;\n  log(x);"));
  assert.deepEqual(stopAtSuffix(candidate("  return total;"), ctx), candidate("  return total;"));
});

test("a differently indented copy is not the suffix", () => {
  const ctx = context({ nextLines: ["    return total;"] });
  assert.deepEqual(stopAtSuffix(candidate("x;\n  return total;"), ctx), candidate("x;\n  return total;"));
});
