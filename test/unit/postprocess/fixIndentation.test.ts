import { test } from "node:test";
import assert from "node:assert/strict";
import { fixIndentation } from "../../../src/completion/postprocess/fixIndentation";
import { candidate, context } from "./helpers";

test("converts four-space output to a tab-indented document", () => {
  const ctx = context({ indentUnit: "\t", multiline: true });
  assert.deepEqual(fixIndentation(candidate("if (x) {\n    a();\n        b();\n    }"), ctx), candidate("if (x) {\n\ta();\n\t\tb();\n\t}"));
});

test("converts tabs to the document's two spaces", () => {
  const ctx = context({ indentUnit: "  ", multiline: true });
  assert.deepEqual(fixIndentation(candidate("{\n\ta();\n\t\tb();"), ctx), candidate("{\n  a();\n    b();"));
});

test("leaves matching indentation and single lines alone", () => {
  const ctx = context({ indentUnit: "  ", multiline: true });
  assert.deepEqual(fixIndentation(candidate("{\n  a();\n    b();"), ctx), candidate("{\n  a();\n    b();"));
  assert.deepEqual(fixIndentation(candidate("    x"), ctx), candidate("    x"));
});
