import { test } from "node:test";
import assert from "node:assert/strict";
import { cutAtControlCharacter } from "../../../src/completion/postprocess/cutAtControlCharacter";
import { candidate, context } from "./helpers";

test("cuts before control characters and undecodable bytes", () => {
  assert.deepEqual(cutAtControlCharacter(candidate("value\u0015junk"), context()), candidate("value"));
  assert.deepEqual(cutAtControlCharacter(candidate("ok\ufffd"), context()), candidate("ok"));
  assert.equal(cutAtControlCharacter(candidate("\u0002abc"), context()), undefined);
});

test("keeps tabs, newlines and non-ASCII text", () => {
  assert.deepEqual(cutAtControlCharacter(candidate("a\tb\n  c © é"), context()), candidate("a\tb\n  c © é"));
});
