// Assembling the context: windows, ranked and packed snippets, stable order, plain-text fallback, recent and
// similar code, on in-memory workspaces and a generated 3,000-line TypeScript file.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { ContextBuilder, buildContext, type ContextInput, type Snippet } from "../../src/context/buildContext";
import { estimateTokens } from "../../src/context/tokens";
import { RecentChunks } from "../../src/context/recentChunks";
import { bestWindow, identifierSet } from "../../src/context/similarity";
import type { Parsers } from "../../src/context/parsers";
import { LARGE_TS_MODULES, generateLargeTypeScript, memoryFiles, testParsers, withCursor } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

const show = (snippets: Snippet[]) => JSON.stringify(snippets.map((s) => `${s.path}:${s.startLine}-${s.endLine} ${s.reason} ${s.symbol ?? ""}`));

test("prefix, linePrefix and suffix: the prefix runs to the cursor and ends with the current line's typed part", async () => {
  const { text, offset } = withCursor("const a = 1;\nfunction f() {\n  return a +<|> 2;\n}\n");
  const builder = new ContextBuilder(parsers);
  const built = await builder.context({ path: "x.ts", languageId: "typescript", text, offset });
  assert.equal(built.linePrefix, "  return a +");
  assert.equal(built.prefix, "const a = 1;\nfunction f() {\n  return a +");
  assert.equal(built.suffix, " 2;\n}\n");
  assert.deepEqual(built.window, { startLine: 1, endLine: 4, cursorLine: 3 });
  assert.deepEqual(built.cursor.scopes.map((s) => s.header), ["function f() {"]);
  assert.equal(built.multiline, false);
  assert.ok(built.timings.totalMs >= 0 && built.timings.parseMs >= 0);
});

test("windows are whole lines within their token budgets, measured by the caller's counter when given", async () => {
  const lines = Array.from({ length: 200 }, (_, i) => `const value${i} = compute(${i});`);
  const text = `${lines.join("\n")}\n`;
  const offset = text.indexOf("const value100");
  const counted: string[] = [];
  const countTokens = (t: string) => {
    counted.push(t);
    return t.split("\n").length * 10;
  };
  const built = await new ContextBuilder(parsers).context({ path: "w.ts", languageId: "typescript", text, offset, prefixTokens: 200, suffixTokens: 100, countTokens });
  assert.ok(counted.length > 0);
  assert.ok(built.prefix.startsWith("const value"), "starts on a line start");
  const prefixLines = built.prefix.split("\n").length - 1;
  assert.ok(prefixLines > 5 && prefixLines <= 20, `${prefixLines} lines before the cursor`);
  assert.ok(built.suffix.endsWith("\n") && built.suffix.split("\n").length - 1 <= 10);
  assert.equal(built.window.cursorLine, 101);
  assert.equal(built.window.startLine, 101 - prefixLines);
  assert.equal(estimateTokens("abcdefg\nabcdefg"), 5);
});

test("the prefix window keeps its start while typing, so the prompt's prefix stays the same for the KV cache", async () => {
  const lines = Array.from({ length: 400 }, (_, i) => `  total += item${i}.price * ${i};`);
  let text = `function sum() {\n  let total = 0;\n${lines.join("\n")}\n  \n}\n`;
  let offset = text.indexOf("  \n}") + 2;
  const builder = new ContextBuilder(parsers);
  const first = await builder.context({ path: "s.ts", languageId: "typescript", text, offset, prefixTokens: 400 });
  for (const typed of ["r", "e", "t", "\n  ", "x", ";", "\n  "]) {
    text = text.slice(0, offset) + typed + text.slice(offset);
    offset += typed.length;
    const next = await builder.context({ path: "s.ts", languageId: "typescript", text, offset, prefixTokens: 400 });
    assert.equal(next.window.startLine, first.window.startLine, `after typing ${JSON.stringify(typed)}`);
  }
  const scope = first.snippets.find((s) => s.reason === "enclosing-scope");
  assert.ok(scope, show(first.snippets));
  assert.deepEqual([scope.path, scope.startLine, scope.endLine, scope.text], ["s.ts", 1, 1, "function sum() {"]);
});

test("unknown languages get plain-text context with the reason", async () => {
  const { text, offset } = withCursor("hello\nwo<|>rld\n");
  const built = await new ContextBuilder(parsers).context({ path: "notes.xyz", languageId: "xyz", text, offset, files: memoryFiles({}) });
  assert.match(built.notes.join(" "), /plain-text context: no tree-sitter grammar for xyz/);
  assert.equal(built.prefix, "hello\nwo");
  assert.equal(built.linePrefix, "wo");
  assert.equal(built.suffix, "rld\n");
  assert.deepEqual(built.snippets, []);
  assert.deepEqual(built.cursor, { inStringOrComment: false, scopes: [] });
  const plain = await buildContext({ path: "a.ts", languageId: "typescript", text: "if (x) {\n  \n}", offset: 11 });
  assert.match(plain.notes.join(" "), /tree-sitter is not loaded/);
  assert.equal(plain.multiline, true, "indentation heuristic without a tree");
});

/** A workspace where the cursor's file imports from two modules, with recent chunks and another open file. */
function workspace() {
  const files = {
    "src/pricing.ts": "export interface Price {\n  cents: number;\n}\n\nexport function discount(price: Price, percent: number): Price {\n  return { cents: Math.round(price.cents * (1 - percent / 100)) };\n}\n",
    "src/tax.ts": "export const RATE = 0.2;\n\nexport function addTax(cents: number): number {\n  return Math.round(cents * (1 + RATE));\n}\n",
    "src/cart.ts": [
      'import { discount, type Price } from "./pricing";',
      'import { addTax } from "./tax";',
      "",
      "export function checkout(prices: Price[]): number {",
      "  let sum = 0;",
      "  for (const price of prices) {",
      "    const reduced = discount(price, 10);",
      "    sum += reduced.cents;",
      "  }",
      "  return addTax(sum);",
      "}",
      "",
    ].join("\n"),
  };
  const other = "// checkout in the old shop\nexport function legacyCheckout(prices: Price[]): number {\n  let sum = 0;\n  for (const price of prices) {\n    sum += price.cents;\n  }\n  return sum;\n}\n";
  const recent = new RecentChunks();
  recent.add({ path: "src/util.ts", startLine: 10, endLine: 12, text: "export function round2(n: number) {\n  return Math.round(n * 100) / 100;\n}", kind: "recent-edit" });
  recent.add({ path: "src/cart.ts", startLine: 5, endLine: 7, text: "  let sum = 0;\n  for (const price of prices) {\n    const reduced = discount(price, 10);", kind: "recent-edit" });
  recent.add({ path: "README.md", startLine: 1, endLine: 2, text: "# Shop\nA small shop.", kind: "recent-view" });
  const text = files["src/cart.ts"];
  const base: ContextInput = {
    path: "src/cart.ts",
    languageId: "typescript",
    text,
    offset: text.indexOf("sum += reduced.cents;"),
    files: memoryFiles(files),
    recent,
    openDocuments: [{ path: "src/old/shop.ts", languageId: "typescript", text: other }, { path: "docs/notes.py", languageId: "python", text: other }],
  };
  return base;
}

test("snippets: imported definitions closest to the cursor first into the budget, then recent edits, similar code, recent views; output by path and line", async () => {
  const input = workspace();
  const built = await new ContextBuilder(parsers).context(input);
  assert.deepEqual(
    built.snippets.map((s) => `${s.path}:${s.startLine}-${s.endLine} ${s.reason}`),
    ["README.md:1-2 recent-view", "src/old/shop.ts:1-8 similar-code", "src/pricing.ts:1-3 imported-definition", "src/pricing.ts:5-7 imported-definition", "src/tax.ts:3-5 imported-definition", "src/util.ts:10-12 recent-edit"],
  );
  assert.ok(!built.snippets.some((s) => s.path === "src/cart.ts"), "the recent edit inside the prompt's own window is left out");
  assert.ok(!built.snippets.some((s) => s.path === "docs/notes.py"), "similar code only from the same language family");

  // A small budget keeps what ranks first: the definition used closest to the cursor (discount, one line up).
  const small = await new ContextBuilder(parsers).context({ ...input, snippetBudgetTokens: 60 });
  assert.deepEqual(small.snippets.map((s) => s.symbol), ["discount"], show(small.snippets));
});

test("the snippet block is the same for adjacent cursor columns and does not depend on where on the line the cursor is", async () => {
  const input = workspace();
  const builder = new ContextBuilder(parsers);
  const at = input.offset;
  const one = await builder.context({ ...input, offset: at });
  const two = await builder.context({ ...input, offset: at + 1 });
  const three = await builder.context({ ...input, offset: at + 7 });
  assert.ok(one.snippets.length >= 4);
  assert.deepEqual(two.snippets, one.snippets);
  assert.deepEqual(three.snippets, one.snippets);
  const sorted = [...one.snippets].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine));
  assert.deepEqual(one.snippets, sorted);
});

test("similar code: the window of another file that shares the most identifiers", () => {
  const other = ["// header", "import x from 'y';", "", "function unrelated() { return 0; }", "", "", "", "", "function sumPrices(items) {", "  let total = 0;", "  for (const item of items) total += item.price;", "  return total;", "}"].join("\n");
  const window = bestWindow(other, identifierSet("let total = 0; for (const item of items) total += item.price"), 5);
  assert.ok(window);
  assert.deepEqual([window.startLine, window.endLine], [9, 13]);
  assert.ok(window.text.startsWith("function sumPrices(items) {"));
  assert.ok(window.score > 0.4);
  assert.equal(bestWindow("a\nb\n", identifierSet("nothing shared here")), undefined);
});

test("recent chunks: newest first, near-duplicates (line-set Jaccard > 0.9) and same-region chunks replaced, bounded", () => {
  let clock = 0;
  const ring = new RecentChunks(3, () => ++clock);
  const block = Array.from({ length: 12 }, (_, i) => `const v${i} = f(${i});`).join("\n");
  ring.add({ path: "a.ts", startLine: 1, endLine: 12, text: block, kind: "recent-edit" });
  ring.add({ path: "copy.ts", startLine: 40, endLine: 51, text: `${block}\n`, kind: "recent-view" });
  assert.deepEqual(ring.list().map((c) => c.path), ["copy.ts"], "the same lines elsewhere replace the older chunk");
  ring.add({ path: "copy.ts", startLine: 45, endLine: 48, text: "let changed = true;", kind: "recent-edit" });
  assert.deepEqual(ring.list().map((c) => [c.path, c.startLine]), [["copy.ts", 45]], "an overlapping region of the same file replaces it");
  const changed = block.replace("f(3)", "g(3)").replace("f(4)", "g(4)");
  ring.add({ path: "b.ts", startLine: 1, endLine: 12, text: block, kind: "recent-edit" });
  ring.add({ path: "c.ts", startLine: 1, endLine: 12, text: changed, kind: "recent-edit" });
  assert.equal(ring.size, 3, "two lines of twelve differ: Jaccard 10/14, not a duplicate");
  ring.add({ path: "d.ts", startLine: 1, endLine: 1, text: "let d = 4;", kind: "recent-view" });
  assert.deepEqual(ring.list().map((c) => c.path), ["d.ts", "c.ts", "b.ts"]);
  assert.deepEqual(ring.list().map((c) => c.at), [6, 5, 4]);
  ring.add({ path: "e.ts", startLine: 1, endLine: 1, text: "   \n", kind: "recent-edit" });
  assert.equal(ring.size, 3, "blank chunks are ignored");
});

test("a generated 3,000-line TypeScript file: multi-line at a blank line in a body, definitions from both imported modules", async (t) => {
  const big = generateLargeTypeScript(3000);
  assert.ok(big.split("\n").length >= 2990);
  const files = memoryFiles({ ...LARGE_TS_MODULES, "src/big.ts": big });
  const offset = big.lastIndexOf("  \n  return formatPrice({ cents") + 2;
  const builder = new ContextBuilder(parsers);
  const input: ContextInput = { path: "src/big.ts", languageId: "typescript", text: big, offset, files };
  const built = await builder.context(input);
  assert.equal(built.lineMode, "multi");
  assert.deepEqual(built.cursor.scopes.map((s) => s.header), ["export function summary(items: LineItem[]): string {"]);
  assert.deepEqual(built.snippets.map((s) => `${s.path}:${s.symbol}`), ["src/format.ts:padLeft", "src/money.ts:formatPrice"], show(built.snippets));
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) runs.push((await builder.context(input)).timings.totalMs);
  runs.sort((a, b) => a - b);
  t.diagnostic(`warm buildContext on ${big.split("\n").length} lines: median ${runs[10].toFixed(2)} ms (not asserted; see npm run bench)`);
});

test("never throws: empty text, an offset past the end, a workspace whose reads fail", async () => {
  const builder = new ContextBuilder(parsers);
  const empty = await builder.context({ path: "e.ts", languageId: "typescript", text: "", offset: 0 });
  assert.deepEqual([empty.prefix, empty.suffix, empty.linePrefix, empty.snippets.length], ["", "", "", 0]);
  const past = await builder.context({ path: "p.ts", languageId: "typescript", text: "let a = 1;", offset: 99 });
  assert.equal(past.prefix, "let a = 1;");
  const failing = { read: async () => Promise.reject(new Error("disk on fire")) };
  const { text, offset } = withCursor('import { a } from "./a";\nexport const b = a(<|>);\n');
  const built = await builder.context({ path: "b.ts", languageId: "typescript", text, offset, files: failing });
  assert.match(built.notes.join(" "), /imported definitions skipped: disk on fire/);
  assert.equal(built.prefix, 'import { a } from "./a";\nexport const b = a(');
});

test("only imported symbols used near the cursor count; names seen only on import lines rank after those used", async () => {
  const files = memoryFiles({
    "m.ts": "export function used(): number {\n  return 1;\n}\n\nexport function notUsed(): number {\n  return 2;\n}\n\nexport function farAway(): number {\n  return 3;\n}\n",
  });
  const body = Array.from({ length: 40 }, (_, i) => `  step(${i});`).join("\n");
  const { text, offset } = withCursor(`import {\n  used,\n  notUsed,\n  farAway,\n} from "./m";\n\nexport function run() {\n  farAway();\n${body}\n  const x = used(<|>);\n}\n`);
  const built = await new ContextBuilder(parsers).context({ path: "r.ts", languageId: "typescript", text, offset, files, prefixTokens: 100 });
  assert.deepEqual(built.snippets.filter((s) => s.reason === "imported-definition").map((s) => s.symbol), ["used"], show(built.snippets));
  // Near the imports, a name only imported comes too, ranked last: a tight budget keeps the one in use.
  const near = withCursor('import { used, notUsed } from "./m";\n\nexport function run() {\n  return used(<|>);\n}\n');
  const input = { path: "r.ts", languageId: "typescript", text: near.text, offset: near.offset, files };
  assert.deepEqual((await new ContextBuilder(parsers).context(input)).snippets.map((s) => s.symbol), ["used", "notUsed"]);
  assert.deepEqual((await new ContextBuilder(parsers).context({ ...input, snippetBudgetTokens: 30 })).snippets.map((s) => s.symbol), ["used"]);
});
