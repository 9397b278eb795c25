// Cursor facts from real syntax trees: enclosing scopes with their headers, strings and comments, and the
// multi-line decision, in several languages. `<|>` marks the cursor.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { cursorFacts, type CursorFacts } from "../../src/context/cursorScope";
import type { Parsers } from "../../src/context/parsers";
import { testParsers, withCursor } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

async function facts(languageId: string, marked: string): Promise<CursorFacts> {
  const { text, offset } = withCursor(marked);
  const tree = await parsers.parse(languageId, text);
  assert.ok(tree, `a tree for ${languageId}`);
  try {
    return cursorFacts(tree, text, offset, languageId);
  } finally {
    tree.delete();
  }
}

const headers = (f: CursorFacts) => f.scopes.map((s) => s.header);

test("JavaScript: class and method scopes outermost first, with lines; strings and comments", async () => {
  const source = 'class Cart {\n  total(items) {\n    const label = "sum: ";\n    // note\n    <|>\n  }\n}\n';
  const inBody = await facts("javascript", source);
  assert.deepEqual(headers(inBody), ["class Cart {", "total(items) {"]);
  assert.deepEqual(inBody.scopes.map((s) => [s.type, s.name, s.startLine, s.endLine]), [["class_declaration", "Cart", 1, 7], ["method_definition", "total", 2, 6]]);
  assert.equal(inBody.lineMode, "multi");
  assert.equal(inBody.inStringOrComment, false);
  const plain = source.replace("<|>", "");
  assert.equal((await facts("javascript", plain.replace("sum", "su<|>m"))).inStringOrComment, true);
  assert.equal((await facts("javascript", plain.replace("// note", "// no<|>te"))).inStringOrComment, true);
  assert.equal((await facts("javascript", plain.replace("// note", "// note<|>"))).inStringOrComment, true, "the end of a line comment is still in it");
  assert.equal((await facts("javascript", plain.replace('"sum: "', '"sum: "<|>'))).inStringOrComment, false, "after the closing quote");
  assert.equal((await facts("javascript", "const s = `a ${<|>b} c`;\n")).inStringOrComment, false, "a template substitution is code");
  assert.equal((await facts("javascript", plain.replace("const label", "const la<|>bel"))).lineMode, "single");
});

test("TypeScript: the multi-line decision", async () => {
  assert.equal((await facts("typescript", "function f() {<|>}\n")).lineMode, "multi", "right after `{` of an empty block");
  assert.equal((await facts("typescript", "function f(): number {<|>\n}\n")).lineMode, "multi");
  assert.equal((await facts("typescript", "function f() {\n  <|>\n}\n")).lineMode, "multi", "an empty line in a body");
  assert.equal((await facts("typescript", "const o = {<|>};\n")).lineMode, "multi", "an empty object literal just opened");
  assert.equal((await facts("typescript", "function f() {<|>\n  return 1;\n}\n")).lineMode, "single", "the block already has statements");
  assert.equal((await facts("typescript", "import {<|>} from './x';\n")).lineMode, "single", "import braces are no block");
  assert.equal((await facts("typescript", "const a = 1;\n<|>\nconst b = 2;\n")).lineMode, "single", "an empty line at the top level");
  assert.equal((await facts("typescript", "function f() {\n  const x = comp<|>\n}\n")).lineMode, "single", "in the middle of a statement");
  assert.equal((await facts("typescript", "function f() {\n  if (x) {<|>\n}\n")).lineMode, "multi", "an unclosed brace at the end");
});

test("TypeScript: headers of arrow functions, exported functions and multi-line signatures", async () => {
  const source = [
    "export const handler = async (event: Event): Promise<void> => {",
    "  items.forEach((item) => {",
    "    <|>",
    "  });",
    "};",
    "",
  ].join("\n");
  assert.deepEqual(headers(await facts("typescript", source)), ["export const handler = async (event: Event): Promise<void> => {", "items.forEach((item) => {"]);
  const multi = "export function total(\n  items: number[],\n  rate: number,\n): number {\n  return <|>;\n}\n";
  const scope = (await facts("typescript", multi)).scopes[0];
  assert.equal(scope.header, "export function total(\n  items: number[],\n  rate: number,\n): number {");
  assert.deepEqual([scope.startLine, scope.headerEndLine, scope.endLine], [1, 4, 6]);
  assert.deepEqual(headers(await facts("typescript", "function f(a: number<|>) {}\n")), [], "in the parameter list the function is not yet entered");
});

test("Python: scopes by indentation and the multi-line decision", async () => {
  assert.equal((await facts("python", "def f():<|>\n")).lineMode, "multi", "right after `def f():`");
  assert.equal((await facts("python", "def f():\n    <|>\n")).lineMode, "multi", "the empty body's first line");
  assert.equal((await facts("python", "def f():<|>\n    return 1\n")).lineMode, "single", "the body is already there");
  assert.equal((await facts("python", "x = 1\n<|>\ny = 2\n")).lineMode, "single", "module level");
  assert.equal((await facts("python", "def f():\n    x = 1<|>\n")).lineMode, "single");
  assert.equal((await facts("python", "d = {'a':<|>}\n")).lineMode, "single", "a dict colon opens no block");
  const nested = "class Shop:\n    def total(self, items):\n        s = 0\n        for i in items:\n            s += i\n        <|>\n\nx = 1\n";
  const inMethod = await facts("python", nested);
  assert.deepEqual(headers(inMethod), ["class Shop:", "def total(self, items):"]);
  assert.equal(inMethod.lineMode, "multi", "a blank line after the last statement of a body");
  assert.deepEqual(headers(await facts("python", nested.replace("        <|>", "    <|>"))), ["class Shop:"], "dedented to the class body");
  assert.equal((await facts("python", 'def f():\n    """Doc<|> string."""\n')).inStringOrComment, true);
});

test("Go, Rust, Java, C++, C#: scope headers and multi-line at an opened block", async () => {
  const go = await facts("go", "package main\n\ntype Stack struct{ items []int }\n\nfunc (s *Stack) Push(v int) {\n\t<|>\n}\n");
  assert.deepEqual(headers(go), ["func (s *Stack) Push(v int) {"]);
  assert.equal(go.lineMode, "multi");
  assert.equal((await facts("go", "package main\n\nfunc main() {<|>}\n")).lineMode, "multi");

  const rust = await facts("rust", "struct Stack { items: Vec<i32> }\n\nimpl Stack {\n    pub fn push(&mut self, v: i32) {<|>}\n}\n");
  assert.deepEqual(headers(rust), ["impl Stack {", "pub fn push(&mut self, v: i32) {"]);
  assert.equal(rust.lineMode, "multi");

  const java = await facts("java", "public class Main {\n    @Override\n    public String toString() {\n        return <|>;\n    }\n}\n");
  assert.deepEqual(headers(java), ["public class Main {", "@Override\n    public String toString() {"]);
  assert.equal(java.lineMode, "single");

  const cpp = await facts("cpp", "namespace geo {\nclass Shape {\n public:\n  double area() const {\n    <|>\n  }\n};\n}\n");
  assert.deepEqual(headers(cpp), ["namespace geo {", "class Shape {", "double area() const {"]);
  assert.equal(cpp.lineMode, "multi");

  const csharp = await facts("csharp", "namespace Shop {\n  class Cart {\n    int Total() {\n      <|>\n    }\n  }\n}\n");
  assert.deepEqual(headers(csharp), ["namespace Shop {", "class Cart {", "int Total() {"]);

  const ruby = await facts("ruby", "class Cart\n  def total(items)\n    items.sum<|>\n  end\nend\n");
  assert.deepEqual(headers(ruby), ["class Cart", "def total(items)"]);
});
