// What keeps a keystroke's host cost independent of the file's size must not change what comes out: the
// kept imports follow edits that add or remove imports, the block trim on the kept tree cuts where a fresh
// parse cuts, and the typing-through cache keyed per line answers as before.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { ContextBuilder } from "../../src/context/buildContext";
import { trimToBlockEnd } from "../../src/context/blockEnd";
import { DocumentTrees } from "../../src/context/documentTrees";
import type { Parsers } from "../../src/context/parsers";
import { SuggestionCache } from "../../src/completion/cache/suggestionCache";
import { memoryFiles, testParsers, withCursor } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

const files = memoryFiles({
  "src/money.ts": "export function formatPrice(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n",
  "src/tax.ts": "export function addTax(cents: number, rate: number): number {\n  return Math.round(cents * (1 + rate));\n}\n",
});

function symbols(result: { snippets: Array<{ symbol?: string }> }): string[] {
  return result.snippets.map((s) => s.symbol ?? "").sort();
}

test("the kept imports follow edits: an import typed below the others, one removed, and typing elsewhere", async () => {
  const builder = new ContextBuilder(parsers);
  const body = "\nexport function total(cents: number) {\n  const shown = formatPrice(cents);\n  return addTax(cents, 0.2) + shown.length;\n}\n";
  const one = 'import { formatPrice } from "./money";\n' + body;
  const context = (text: string) => builder.context({ key: "file:///w/src/cart.ts", path: "src/cart.ts", languageId: "typescript", text, offset: text.indexOf("return addTax"), files });
  assert.deepEqual(symbols(await context(one)), ["formatPrice"]);
  const typed = one.replace("  return addTax", "  // a note\n  return addTax");
  assert.deepEqual(symbols(await context(typed)), ["formatPrice"], "typing below the imports keeps them");
  // Two imports, the second added after the first (below the kept imports' rows).
  const two = typed.replace('"./money";\n', '"./money";\nimport { addTax } from "./tax";\n');
  assert.deepEqual(symbols(await context(two)), ["addTax", "formatPrice"]);
  const removed = two.replace('import { formatPrice } from "./money";\n', "");
  assert.deepEqual(symbols(await context(removed)), ["addTax"]);
});

test("an import statement typed far below the imports (Python, inside the module) is picked up", async () => {
  const builder = new ContextBuilder(parsers);
  const py = memoryFiles({ "tax.py": "def add_tax(cents, rate):\n    return round(cents * (1 + rate))\n" });
  const filler = Array.from({ length: 40 }, (_, i) => `value_${i} = ${i}`).join("\n");
  const before = `import os\n\n${filler}\n\ndef total(cents):\n    return add_tax(cents, 0.2)\n`;
  const context = (text: string) => builder.context({ key: "file:///w/cart.py", path: "cart.py", languageId: "python", text, offset: text.indexOf("return add_tax"), files: py });
  assert.deepEqual(symbols(await context(before)), []);
  const after = before.replace("\ndef total", "\nfrom tax import add_tax\n\ndef total");
  assert.deepEqual(symbols(await context(after)), ["add_tax"]);
});

test("the tree reports which rows changed since it was last handed out", async () => {
  const trees = new DocumentTrees(parsers);
  const text = "const a = 1;\nconst b = 2;\nconst c = 3;\n";
  const first = await trees.get("k", "typescript", text);
  assert.equal(first.tree && first.changedFromRow, 0, "a fresh parse: everything changed");
  const same = await trees.get("k", "typescript", text);
  assert.equal(same.tree && same.changedFromRow, Infinity);
  trees.edit("k", [{ startOffset: text.indexOf("2"), oldEndOffset: text.indexOf("2") + 1, newText: "22\n" }], 2);
  const edited = await trees.get("k", "typescript", text.replace("2", "22\n"), 2);
  assert.ok(edited.tree);
  assert.equal(edited.changedFromRow, 1);
  assert.equal(edited.changedToRow, 2);
  trees.clear();
});

test("a line longer than the limit typed into a kept document is refused like a fresh one", async () => {
  const trees = new DocumentTrees(parsers);
  const text = "const a = 1;\n";
  assert.ok((await trees.get("k", "typescript", text)).tree);
  const long = `const a = "${"x".repeat(20_000)}";\n`;
  const result = await trees.get("k", "typescript", long);
  assert.equal(result.tree, undefined);
  assert.match(result.reason ?? "", /longer than/);
});

test("the block trim on the kept tree cuts where a fresh parse cuts, and leaves the next parse whole", async () => {
  const cases: Array<[string, string, string]> = [
    ["typescript", "function f() {\n  <|>\n}\n\nfunction g() {}\n", "a();\n  b();\n}\n\nfunction h() {\n  c();\n}"],
    ["typescript", "export function total(items: number[]): number {\n  <|>", "let sum = 0;\n  return sum;\n}\n\nexport function other() {\n  return 1;\n}\n"],
    ["typescript", "function f(x: number) {\n  if (x > 0) {\n    <|>\n  }\n  return x;\n}\n", "for (let i = 0; i < x; i++) {\n      log(i);\n    }\n    x--;\n  }\n  return x;\n}"],
    ["python", "def f(items):\n    <|>\n\n\nx = 1\n", "total = 0\n    for i in items:\n        total += i\n    return total\n\n\ndef g():\n    pass"],
    ["python", "class A:\n    def m(self):\n        <|>\n\n    def n(self):\n        pass\n", "return 1\n\n    def n(self):\n        pass"],
  ];
  for (const [languageId, marked, completion] of cases) {
    const { text, offset } = withCursor(marked);
    const builder = new ContextBuilder(parsers);
    await builder.context({ key: "k", path: "a", languageId, text, offset });
    const kept = await builder.trimToBlockEnd({ key: "k", path: "a", languageId, text, offset }, completion);
    assert.equal(kept, await trimToBlockEnd(parsers, languageId, text, offset, completion), `${languageId}: ${JSON.stringify(marked)}`);
  }
  const whole = "const a = 1;\nconst b = 2;\n";
  const tree = (await parsers.parse("typescript", whole))!;
  assert.equal(tree.rootNode.endIndex, whole.length, "a parse after a range-limited one covers the whole text");
  tree.delete();
});

test("typing-through cache: per-line keys answer as the whole-text keys did", () => {
  const cache = new SuggestionCache();
  const big = "x".repeat(50) + "\n".repeat(3);
  const at = (path: string, before: string, line: string, after = "\n}\n") => ({ path, prefix: before + line, suffix: after });
  cache.set(at("/a.ts", big, "  const v = "), { texts: ["compute(1);"] });
  assert.deepEqual(cache.get(at("/a.ts", big, "  const v = com")), { texts: ["pute(1);"] });
  assert.equal(cache.get(at("/b.ts", big, "  const v = com")), undefined, "another file");
  assert.equal(cache.get(at("/a.ts", `${big}y\n`, "  const v = com")), undefined, "the text before the line changed");
  assert.equal(cache.get(at("/a.ts", big, "  const v = com", "\n}\n// more\n")), undefined, "the text after the cursor changed");
  assert.deepEqual(cache.get(at("/a.ts", big, "  const v = com")), { texts: ["pute(1);"] }, "and back again");
  const longLine = "y".repeat(5000);
  cache.set(at("/a.ts", big, longLine), { texts: ["z();"] });
  assert.deepEqual(cache.get(at("/a.ts", big, longLine)), { texts: ["z();"] }, "an over-long line is answered exactly");
});
