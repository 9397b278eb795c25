import { test } from "node:test";
import assert from "node:assert/strict";
import { dropEmpty } from "../../../src/completion/postprocess/dropEmpty";
import { candidate, context } from "./helpers";

test("drops whitespace-only results", () => {
  assert.equal(dropEmpty(candidate("  \n\t\n"), context()), undefined);
  assert.equal(dropEmpty(candidate(""), context()), undefined);
});

test("keeps text, without trailing spaces and newlines", () => {
  assert.deepEqual(dropEmpty(candidate("a + b;  \n  c();\n\n"), context()), candidate("a + b;\n  c();"));
});
