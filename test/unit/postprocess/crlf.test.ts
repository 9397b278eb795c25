// Completions in CRLF documents: the prompt holds "\r\n" line ends, so the model may answer with them too.
// Post-processing works on "\n" lines (VS Code turns inserted "\n" into the document's line ending).
import { test } from "node:test";
import assert from "node:assert/strict";
import { postProcess } from "../../../src/completion/postprocess";
import { context } from "./helpers";

test("a multi-line completion with CRLF line ends is kept whole, as LF lines", () => {
  const result = postProcess("if (ready) {\r\n    start();\r\n  }", context({ multiline: true, linePrefix: "  ", indentUnit: "  " }));
  assert.deepEqual(result, { text: "if (ready) {\n    start();\n  }", replaceChars: 0 });
});

test("a CRLF completion that runs into the CRLF lines below the cursor stops there", () => {
  const below = "  return total;\r\n}\r\n".split("\n");
  const result = postProcess("const total = a + b;\r\n  return total;\r\n}", context({ multiline: true, linePrefix: "  ", nextLines: below }));
  assert.deepEqual(result, { text: "const total = a + b;", replaceChars: 0 });
});

test("a lone carriage return (old Mac line end) is a line break too", () => {
  const result = postProcess("first();\rsecond();", context({ multiline: true }));
  assert.deepEqual(result, { text: "first();\nsecond();", replaceChars: 0 });
});
