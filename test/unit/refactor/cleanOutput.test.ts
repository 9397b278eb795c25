import { test } from "node:test";
import assert from "node:assert/strict";
import { cleanNewFile, cleanRewrite, commonIndent, extractCode, matchIndentation } from "../../../src/refactor/cleanOutput";

test("takes the first fenced block and drops the chatter around it", () => {
  const reply = "Sure! Here is the refactored code:\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\nThis version avoids the loop.\n```ts\nother()\n```";
  assert.equal(extractCode(reply), "const a = 1;\nconst b = 2;");
});

test("a fence of tildes or of more backticks closes only with its own kind", () => {
  assert.equal(extractCode("~~~python\nx = '```'\n```\n~~~\n"), "x = '```'\n```");
  assert.equal(extractCode("````\na\n```\nb\n````"), "a\n```\nb");
});

test("a streaming reply with an unclosed fence yields the code so far, without a half-written closing fence", () => {
  assert.equal(extractCode("Here:\n```js\nfunction f() {\n  return 1;\n"), "function f() {\n  return 1;\n");
  assert.equal(extractCode("```js\nfunction f() {}\n``"), "function f() {}");
  assert.equal(extractCode("``"), "");
  assert.equal(extractCode("```"), "");
});

test("without fences, intro and closing prose lines are dropped and code lines kept", () => {
  assert.equal(extractCode("Here is the updated function:\nfunction f() {\n  return 1;\n}\n\nThis version returns early."), "function f() {\n  return 1;\n}");
  assert.equal(extractCode("Refactored code:\nx = 1\n"), "x = 1\n");
  assert.equal(extractCode("x = compute(a):\n  y"), "x = compute(a):\n  y", "code that ends in a colon is not an intro");
  assert.equal(extractCode("def f():\n    pass"), "def f():\n    pass", "a line ending in ':' with code punctuation stays");
});

test("re-indents the code to the selection's indentation, keeping relative indentation and the final newline", () => {
  const original = "    def area(self):\n        return self.w * self.h\n";
  assert.equal(cleanRewrite("```python\ndef area(self):\n    return self.w * self.h\n```", original), "    def area(self):\n        return self.w * self.h\n");
  assert.equal(cleanRewrite("```python\n        def area(self):\n            return 0\n```", original), "    def area(self):\n        return 0\n", "over-indented output is moved back");
  assert.equal(matchIndentation("\n\na\n\n  b\n\n", "\tx"), "\ta\n\n\t  b", "blank edges trimmed, no final newline when the selection had none");
  assert.equal(matchIndentation("", "  x\n"), "", "an empty proposal stays empty");
});

test("common indent ignores blank lines and stops at the first difference", () => {
  assert.equal(commonIndent("    a\n\n      b\n    c"), "    ");
  assert.equal(commonIndent("\t a\n\t\tb"), "\t");
  assert.equal(commonIndent("a\n  b"), "");
  assert.equal(commonIndent(""), "");
});

test("a new file is the code with one final newline", () => {
  assert.equal(cleanNewFile("Here are tests:\n```ts\nimport x from './x';\n\ntest('a', () => {});\n```\nRun them with npm test."), "import x from './x';\n\ntest('a', () => {});\n");
  assert.equal(cleanNewFile("   "), "");
});
