// The context engine on fixture workspaces, with real tree-sitter parsing (the WASM grammars VS Code ships):
// imports resolved to workspace files in six languages, and the definitions of the symbols used near the cursor.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ContextBuilder, type ContextResult, type ContextInput, type Snippet } from "../../src/context/buildContext";
import { languageOfPath } from "../../src/context/languages";
import { diskFiles } from "../../src/context/fsFiles";
import type { Parsers } from "../../src/context/parsers";
import { FIXTURES, testParsers } from "../fixtures/context/fixtures";

let parsers: Parsers;

before(async () => {
  parsers = await testParsers();
});

async function contextAt(workspace: string, path: string, marker: string, extra: Partial<ContextInput> = {}): Promise<ContextResult> {
  const root = join(FIXTURES, workspace);
  const text = readFileSync(join(root, path), "utf8");
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${JSON.stringify(marker)} in ${path}`);
  return new ContextBuilder(parsers).context({ path, languageId: languageOfPath(path)!, text, offset: at + marker.length, files: diskFiles(root), ...extra });
}

const show = (snippets: Snippet[]) => JSON.stringify(snippets.map((s) => `${s.path}:${s.startLine}-${s.endLine} ${s.reason} ${s.symbol ?? ""}`));
const imported = (built: ContextResult) => built.snippets.filter((s) => s.reason === "imported-definition");

test("TypeScript: a.ts calls formatPrice from ./b near the cursor: its signature from b.ts, lines 6-9", async () => {
  const built = await contextAt("ts", "src/a.ts", "return formatPrice(");
  const snippet = built.snippets.find((s) => s.symbol === "formatPrice");
  assert.ok(snippet, show(built.snippets));
  assert.deepEqual({ path: snippet.path, startLine: snippet.startLine, endLine: snippet.endLine, reason: snippet.reason }, { path: "src/b.ts", startLine: 6, endLine: 9, reason: "imported-definition" });
  assert.match(snippet.text, /^\/\*\* Formats a price for display. \*\/\nexport function formatPrice\(money: Money, locale = "en-US"\): string \{/);
  assert.ok(built.snippets.some((s) => s.symbol === "Money" && s.text.startsWith("export interface Money {")), "the imported type used near the cursor comes too");
  assert.ok(!built.snippets.some((s) => s.text.includes("unused")), "what is not imported stays out");
  assert.ok(!built.snippets.some((s) => s.path === "src/a.ts"), "nothing from the file's own window");
});

test("TypeScript: re-exports (`export { x as y } from`, `export *`) and default imports lead to the defining file", async () => {
  const built = await contextAt("ts", "src/c.ts", "const gross = withTax(cents);");
  const where = Object.fromEntries(imported(built).map((s) => [s.symbol, `${s.path}:${s.startLine}-${s.endLine}`]));
  assert.deepEqual(where, { formatPrice: "src/b.ts:6-9", withTax: "src/lib/tax.ts:3-5", total: "src/total.ts:1-4" }, show(built.snippets));
  assert.match(built.snippets.find((s) => s.symbol === "total")!.text, /export default function total\(values: number\[\]\): number/);
});

test("JavaScript: require() with destructuring and a module object", async () => {
  const built = await contextAt("ts", "src/legacy.js", "return addTax(");
  const where = imported(built).map((s) => `${s.path}:${s.symbol}`).sort();
  assert.deepEqual(where, ["src/lib/tax.ts:withTax", "src/total.ts:total"], show(built.snippets));
});

test("Python: a relative `from .geometry import …` resolves to the module's definitions; a blank line in a body is multi-line", async () => {
  const built = await contextAt("py", "pkg/app.py", "d = distance(origin, p)\n        ");
  const distance = built.snippets.find((s) => s.symbol === "distance");
  assert.ok(distance, show(built.snippets));
  assert.deepEqual([distance.path, distance.startLine, distance.endLine], ["pkg/geometry.py", 10, 12]);
  assert.match(distance.text, /^def distance\(a: Point, b: Point\) -> float:/);
  assert.ok(built.snippets.some((s) => s.symbol === "Point"), "imported near the cursor, not used yet: it still comes");
  const tight = await contextAt("py", "pkg/app.py", "d = distance(origin, p)\n        ", { snippetBudgetTokens: 50 });
  assert.deepEqual(tight.snippets.map((s) => s.symbol), ["distance"], "but after the names really used");
  assert.equal(built.multiline, true);
  assert.deepEqual(built.cursor.scopes.map((s) => s.header), ["def nearest(origin, points):"]);
});

test("Python: `import pkg.geometry as geo` and `from pkg import shapes` (a submodule) resolve from the package root", async () => {
  const built = await contextAt("py", "main.py", "return total + square.area()");
  const where = imported(built).map((s) => `${s.path}:${s.symbol}`).sort();
  assert.deepEqual(where, ["pkg/geometry.py:distance", "pkg/shapes.py:Square"], show(built.snippets));
  const square = built.snippets.find((s) => s.symbol === "Square")!;
  // A long class: header and member signatures, not the bodies.
  assert.match(square.text, /^class Square:\n {4}"""A square with its side length."""/);
  assert.match(square.text, /def area\(self\) -> float:\n/);
  assert.ok(!square.text.includes("Point(s, 0)"), square.text);
});

test("Go: a package import resolves through go.mod, and every file of the package is searched", async () => {
  const built = await contextAt("go", "main.go", "util.Max(1, util.Limit))");
  const where = imported(built).map((s) => `${s.path}:${s.symbol}:${s.startLine}-${s.endLine}`).sort();
  assert.deepEqual(where, ["util/numbers.go:Limit:12-13", "util/numbers.go:Max:3-9", "util/strings.go:Reverse:3-10"], show(built.snippets));
  assert.match(built.snippets.find((s) => s.symbol === "Limit")!.text, /^const Limit = 64$/m);
});

test("Rust: `use crate::…`, `mod x;` and module paths resolve to module files", async () => {
  const built = await contextAt("rust", "src/main.rs", "let d = dot(&a, &a);");
  const where = imported(built).map((s) => `${s.path}:${s.symbol}`).sort();
  assert.deepEqual(where, ["src/geometry.rs:Vec2", "src/geometry.rs:dot", "src/geometry.rs:length", "src/shapes/circle.rs:Circle", "src/shapes/circle.rs:Circle", "src/shapes/mod.rs:Area"], show(built.snippets));
  assert.match(built.snippets.find((s) => s.symbol === "dot")!.text, /^pub fn dot\(a: &Vec2, b: &Vec2\) -> f64 \{/);
  // The struct and its `impl` blocks both come for a type.
  assert.deepEqual(built.snippets.filter((s) => s.symbol === "Circle").map((s) => s.text.split("\n")[0]), ["pub struct Circle {", "impl Area for Circle {"]);
});

test("Java: imports by package path from the workspace root", async () => {
  const built = await contextAt("java", "Main.java", "Prices.format(");
  const prices = built.snippets.find((s) => s.symbol === "Prices");
  assert.ok(prices, show(built.snippets));
  assert.deepEqual([prices.path, prices.startLine, prices.endLine], ["com/acme/Prices.java", 3, 7]);
});

test("Java: a Maven source root found from the package declaration; `import static` brings the member", async () => {
  const built = await contextAt("java-maven", "src/main/java/com/shop/App.java", "System.out.println(pad(");
  const item = built.snippets.find((s) => s.symbol === "Item");
  const pad = built.snippets.find((s) => s.symbol === "pad");
  assert.ok(item && pad, show(built.snippets));
  assert.equal(item.path, "src/main/java/com/shop/model/Item.java");
  assert.match(item.text, /public class Item \{\n(.*\n)*\s+public String label\(\) \{ … \}/);
  assert.equal(pad.path, "src/main/java/com/shop/util/Text.java");
  assert.deepEqual([pad.startLine, pad.endLine], [6, 13]);
  // A short method comes whole, with its doc comment.
  assert.match(pad.text, /^ {4}\/\*\* Pads on the right to width. \*\/\n {4}public static String pad\(String s, int width\) \{\n {8}StringBuilder/);
});

test("C++: a quoted include brings the declarations used, inside namespaces and include guards", async () => {
  const stack = await contextAt("cpp", "main.cpp", "stack_push(3);");
  assert.deepEqual(imported(stack).map((s) => `${s.path}:${s.startLine}:${s.text}`), ["include/stack.h:3:int stack_push(int value);", "include/stack.h:4:int stack_pop(void);"]);
  const geometry = await contextAt("cpp", "shapes.cpp", "total += geo::distance(");
  const where = imported(geometry).map((s) => `${s.path}:${s.symbol}`).sort();
  assert.deepEqual(where, ["include/geometry.hpp:Point", "include/geometry.hpp:distance"], show(geometry.snippets));
  assert.match(geometry.snippets.find((s) => s.symbol === "Point")!.text, /^\/\/ A point in the plane.\nstruct Point \{/);
});
