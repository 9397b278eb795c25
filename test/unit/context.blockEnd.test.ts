// Block-end trimming: a multi-line completion stops where the block the cursor is in closes.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { trimToBlockEnd } from "../../src/context/blockEnd";
import { ContextBuilder } from "../../src/context/buildContext";
import type { Parsers } from "../../src/context/parsers";
import { testParsers, withCursor } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

async function trim(languageId: string, marked: string, completion: string): Promise<string> {
  const { text, offset } = withCursor(marked);
  return trimToBlockEnd(parsers, languageId, text, offset, completion);
}

test("TypeScript: the completion stops before the closing brace the document already has", async () => {
  const doc = "function f() {\n  <|>\n}\n\nfunction g() {}\n";
  assert.equal(await trim("typescript", doc, "a();\n  b();\n}\n\nfunction h() {\n  c();\n}"), "a();\n  b();");
  assert.equal(await trim("typescript", doc, "a();\n  b();"), "a();\n  b();", "nothing to cut");
  assert.equal(await trim("typescript", doc, "single()"), "single()", "single-line results are left alone");
});

test("TypeScript: a closing brace the document lacks is kept, and what follows it goes", async () => {
  const doc = "export function total(items: number[]): number {\n  <|>";
  assert.equal(await trim("typescript", doc, "let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}\n\nexport function other() {\n  return 1;\n}\n"), "let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}");
});

test("TypeScript: inside a nested block the innermost block decides; blocks the completion opens do not", async () => {
  const doc = "function f(x: number) {\n  if (x > 0) {\n    <|>\n  }\n  return x;\n}\n";
  assert.equal(await trim("typescript", doc, "for (let i = 0; i < x; i++) {\n      log(i);\n    }\n    x--;\n  }\n  return x;\n}"), "for (let i = 0; i < x; i++) {\n      log(i);\n    }\n    x--;");
});

test("Python: the completion stops where the body dedents", async () => {
  const doc = "def f(items):\n    <|>\n\n\nx = 1\n";
  assert.equal(await trim("python", doc, "total = 0\n    for i in items:\n        total += i\n    return total\n\n\ndef g():\n    pass"), "total = 0\n    for i in items:\n        total += i\n    return total");
  const method = "class A:\n    def m(self):\n        <|>\n\n    def n(self):\n        pass\n";
  assert.equal(await trim("python", method, "return 1\n\n    def n(self):\n        pass"), "return 1");
});

test("languages without a grammar fall back to indentation", async () => {
  const doc = "fn f()\n    <|>\nend\n";
  assert.equal(await trim("plaintext", doc, "a = 1\n    b = 2\nend\nfn g()"), "a = 1\n    b = 2");
  assert.equal(await trimToBlockEnd(undefined, "typescript", "function f() {\n  \n}\n", 17, "a();\n  b();\n}\nnext();"), "a();\n  b();", "no parsers at all");
});

test("with the document's kept tree the merged text is parsed incrementally, with the same result", async () => {
  const { text, offset } = withCursor("class A {\n  m() {\n    <|>\n  }\n}\n\nclass B {}\n");
  const completion = "this.x = 1;\n  }\n\n  n() {\n    return 2;\n  }";
  const documentTree = (await parsers.parse("typescript", text))!;
  assert.equal(await trimToBlockEnd(parsers, "typescript", text, offset, completion, { documentTree }), "this.x = 1;");
  assert.equal(documentTree.rootNode.toString(), (await parsers.parse("typescript", text))!.rootNode.toString(), "the kept tree is left as it was");
  const builder = new ContextBuilder(parsers);
  await builder.context({ path: "a.ts", languageId: "typescript", text, offset });
  assert.equal(await builder.trimToBlockEnd({ path: "a.ts", languageId: "typescript", text, offset }, completion), "this.x = 1;");
  documentTree.delete();
});
