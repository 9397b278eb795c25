// Text given a document's line endings (the diff review shows a proposal in a CRLF file with CRLF).
import { test } from "node:test";
import assert from "node:assert/strict";
import { withLineEnding } from "../../src/platform/lineEndings";

test("every kind of line break becomes the document's", () => {
  assert.equal(withLineEnding("a\nb\r\nc\rd", "\r\n"), "a\r\nb\r\nc\r\nd");
  assert.equal(withLineEnding("a\r\nb\r\n", "\n"), "a\nb\n");
  assert.equal(withLineEnding("one line", "\r\n"), "one line");
  assert.equal(withLineEnding("\r\n\r\n", "\r\n"), "\r\n\r\n", "CRLF stays one break, not two");
});
