// The context engine with real tree-sitter parsing (the WASM grammars VS Code ships) on fixture workspaces.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ContextBuilder, languageOfPath, type BuiltContext } from "../../src/context/buildContext";
import { diskFiles } from "../../src/context/fsFiles";
import { Parsers } from "../../src/context/parsers";
import { DocumentTrees } from "../../src/context/documentTrees";
import { cursorFacts } from "../../src/context/cursorScope";
import { RecentChunks } from "../../src/context/recentChunks";
import { bestWindow, identifierSet } from "../../src/context/similarity";
import { trimToBlockEnd } from "../../src/context/blockEnd";
import { treeSitterWasmDir } from "../../src/context/wasmDir";

const FIXTURES = resolve("test/fixtures/context");
let parsers: Parsers;

before(async () => {
  parsers = await Parsers.create(treeSitterWasmDir());
});

async function contextAt(workspace: string, path: string, marker: string | number, extra: Partial<Parameters<ContextBuilder["build"]>[0]> = {}): Promise<BuiltContext> {
  const root = join(FIXTURES, workspace);
  const text = readFileSync(join(root, path), "utf8");
  const offset = typeof marker === "number" ? marker : text.indexOf(marker) + marker.length;
  assert.ok(offset >= 0);
  return new ContextBuilder(parsers).build({ path, languageId: languageOfPath(path)!, text, offset, files: diskFiles(root), ...extra });
}

test("TypeScript: the definition of an imported function used near the cursor, with reason and lines", async () => {
  const built = await contextAt("ts", "src/a.ts", "return formatPrice(");
  const snippet = built.snippets.find((s) => s.text.includes("formatPrice"));
  assert.ok(snippet, JSON.stringify(built.snippets));
  assert.equal(snippet.path, "src/b.ts");
  assert.equal(snippet.reason, "imported-definition");
  assert.equal(snippet.startLine, 6);
  assert.equal(snippet.endLine, 9);
  assert.match(snippet.text, /export function formatPrice\(money: Money, locale = "en-US"\): string/);
  assert.ok(!built.snippets.some((s) => s.text.includes("unused")), "symbols not imported are left out");
  assert.ok(built.snippets.some((s) => s.text.includes("interface Money")), "the imported type used near the cursor comes too");
});

test("Python: relative imports resolve to the module's definitions", async () => {
  const built = await contextAt("py", "pkg/app.py", "d = distance(origin, p)\n        ");
  const distance = built.snippets.find((s) => s.symbol === "distance" || s.text.includes("def distance"));
  assert.ok(distance, JSON.stringify(built.snippets));
  assert.equal(distance.path, "pkg/geometry.py");
  assert.match(distance.text, /def distance\(a: Point, b: Point\) -> float:/);
  assert.equal(built.multiline, true, "an empty line in a body is multi-line");
});

test("Go: a package import resolves through go.mod", async () => {
  const built = await contextAt("go", "main.go", "util.Reverse(");
  const snippet = built.snippets.find((s) => s.path === "util/strings.go");
  assert.ok(snippet, JSON.stringify(built.snippets));
  assert.match(snippet.text, /func Reverse\(s string\) string/);
});

test("Rust: use crate:: paths resolve to module files", async () => {
  const built = await contextAt("rust", "src/main.rs", "let d = dot(");
  assert.ok(built.snippets.some((s) => s.path === "src/geometry.rs" && /pub fn dot/.test(s.text)), JSON.stringify(built.snippets));
  assert.ok(built.snippets.some((s) => /pub struct Vec2/.test(s.text)));
});

test("Java: imports resolve by package path", async () => {
  const built = await contextAt("java", "Main.java", "Prices.format(");
  assert.ok(built.snippets.some((s) => s.path === "com/acme/Prices.java" && /class Prices/.test(s.text)), JSON.stringify(built.snippets));
});

test("C++: a quoted include brings the declarations used", async () => {
  const built = await contextAt("cpp", "main.cpp", "stack_push(3);");
  assert.ok(built.snippets.some((s) => s.path === "include/stack.h" && /int stack_push\(int value\)/.test(s.text)), JSON.stringify(built.snippets));
});

test("scopes, strings and comments, and the multi-line decision", async () => {
  const text = "class Cart {\n  total(items) {\n    const label = \"sum: \";\n    // note\n    \n  }\n}\n";
  const tree = (await parsers.parse("javascript", text))!;
  const inBody = cursorFacts(tree, text, text.indexOf("    \n") + 4);
  assert.deepEqual(inBody.scopes.map((s) => s.header), ["class Cart {", "total(items) {"]);
  assert.equal(inBody.multiline, true);
  assert.equal(inBody.inStringOrComment, false);
  assert.equal(cursorFacts(tree, text, text.indexOf("sum") + 2).inStringOrComment, true);
  assert.equal(cursorFacts(tree, text, text.indexOf("note")).inStringOrComment, true);
  assert.equal(cursorFacts(tree, text, text.indexOf("const label") + 6).multiline, false);
  const opened = "function f() {}\n";
  const openTree = (await parsers.parse("javascript", opened))!;
  assert.equal(cursorFacts(openTree, opened, opened.indexOf("{") + 1).multiline, true, "right after an opened empty block");
});

test("enclosing scopes cut off by the prefix window come as snippets", async () => {
  const body = Array.from({ length: 400 }, (_, i) => `    const v${i} = compute(${i});`).join("\n");
  const text = `export function bigFunction(input: number[]): number {\n${body}\n    return \n}\n`;
  const built = await new ContextBuilder(parsers).build({ path: "big.ts", languageId: "typescript", text, offset: text.indexOf("return ") + 7, files: diskFiles(FIXTURES), prefixTokens: 200 });
  const scope = built.snippets.find((s) => s.reason === "enclosing-scope");
  assert.ok(scope, JSON.stringify(built.snippets.map((s) => s.reason)));
  assert.equal(scope.text, "export function bigFunction(input: number[]): number {");
  assert.equal(scope.startLine, 1);
});

test("incremental edits give the same tree as a fresh parse", async () => {
  const trees = new DocumentTrees(parsers);
  const before = "function a() {\n  return 1;\n}\n";
  await trees.get("x.ts", "typescript", before);
  const at = before.indexOf("1");
  trees.edit("x.ts", [{ startOffset: at, oldEndOffset: at + 1, newText: "compute(2)" }]);
  const after = before.slice(0, at) + "compute(2)" + before.slice(at + 1);
  const incremental = await trees.get("x.ts", "typescript", after);
  const fresh = await parsers.parse("typescript", after);
  assert.equal(incremental.tree!.rootNode.toString(), fresh!.rootNode.toString());
});

test("huge, minified and unknown files fall back to plain text with a reason", async () => {
  const minified = `const a=1;${"x=1;".repeat(4000)}\n`;
  const built = await new ContextBuilder(parsers).build({ path: "min.js", languageId: "javascript", text: minified, offset: 10, files: diskFiles(FIXTURES) });
  assert.match(built.notes.join(" "), /longer than 10000 characters/);
  const huge = "let x = 1;\n".repeat(120_000);
  assert.match((await new ContextBuilder(parsers).build({ path: "huge.js", languageId: "javascript", text: huge, offset: 5, files: diskFiles(FIXTURES) })).notes.join(" "), /MB parse limit/);
  const unknown = await new ContextBuilder(parsers).build({ path: "notes.xyz", languageId: "xyz", text: "hello\nworld", offset: 8, files: diskFiles(FIXTURES) });
  assert.match(unknown.notes.join(" "), /no tree-sitter grammar for xyz/);
  assert.equal(unknown.prefix + unknown.linePrefix, "hello\nwo");
  assert.equal(unknown.suffix, "rld");
});

test("recent chunks: newest first, near-duplicates replaced, bounded", () => {
  const ring = new RecentChunks(2);
  ring.add({ path: "a.ts", startLine: 1, endLine: 5, text: "const alpha = beta + gamma;", kind: "recent-edit" });
  ring.add({ path: "a.ts", startLine: 1, endLine: 5, text: "const alpha = beta + gamma; ", kind: "recent-edit" });
  assert.equal(ring.list().length, 1);
  ring.add({ path: "b.ts", startLine: 10, endLine: 12, text: "function other() {}", kind: "recent-view" });
  ring.add({ path: "c.ts", startLine: 1, endLine: 2, text: "let third = 3;", kind: "recent-edit" });
  assert.deepEqual(ring.list().map((c) => c.path), ["c.ts", "b.ts"]);
});

test("similar code: the window of another file that shares the most identifiers", () => {
  const other = ["// header", "import x from 'y';", "", "function unrelated() { return 0; }", "", "", "", "", "function sumPrices(items) {", "  let total = 0;", "  for (const item of items) total += item.price;", "  return total;", "}"].join("\n");
  const window = bestWindow(other, identifierSet("let total = 0; for (const item of items) total += item.price"), 5, 1);
  assert.ok(window);
  assert.ok(window.text.includes("item.price"));
  assert.ok(window.score > 0.4);
});

test("block end: a multi-line result stops where the cursor's block closes", async () => {
  const text = "function f() {\n  \n}\n\nfunction g() {}\n";
  const offset = text.indexOf("  \n") + 2;
  assert.equal(await trimToBlockEnd(parsers, "typescript", text, offset, "a();\n  b();\n}\n\nfunction h() {\n  c();\n}"), "a();\n  b();");
  const py = "def f():\n    \n\nx = 1\n";
  const pyOffset = py.indexOf("    \n") + 4;
  assert.equal(await trimToBlockEnd(parsers, "python", py, pyOffset, "a = 1\n    return a\ndef g():\n    pass"), "a = 1\n    return a");
  assert.equal(await trimToBlockEnd(parsers, "typescript", text, offset, "single()"), "single()");
});

test("the snippet block is the same for two adjacent cursor columns", async () => {
  const root = join(FIXTURES, "ts");
  const text = readFileSync(join(root, "src/a.ts"), "utf8");
  const at = text.indexOf("return formatPrice(") + "return formatPrice(".length;
  const builder = new ContextBuilder(parsers);
  const one = await builder.build({ path: "src/a.ts", languageId: "typescript", text, offset: at - 1, files: diskFiles(root) });
  const two = await builder.build({ path: "src/a.ts", languageId: "typescript", text, offset: at, files: diskFiles(root) });
  assert.deepEqual(one.snippets, two.snippets);
  assert.equal(one.prefix, two.prefix);
});
