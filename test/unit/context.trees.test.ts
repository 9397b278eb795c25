// Parsers and per-document trees: lazy grammars keyed by VS Code language ids, incremental edits that give
// the same tree as a fresh parse, and the guards that keep huge and minified files out.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createParsers, type Parsers } from "../../src/context/parsers";
import { DocumentTrees, diffEdit, type TextEdit } from "../../src/context/documentTrees";
import { ContextBuilder } from "../../src/context/buildContext";
import { GRAMMAR_FILES } from "../../src/context/languages";
import { WASM_DIR, testParsers } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

test("every VS Code language id with a grammar parses; c uses the C++ grammar; unknown ids give undefined", async () => {
  const samples: Record<string, string> = {
    typescript: "let x: number = 1;", typescriptreact: "const a = <div>{x}</div>;", javascript: "let x = 1;", javascriptreact: "const a = <b/>;",
    python: "x = 1\n", go: "package main\n", rust: "fn main() {}\n", java: "class A {}\n", cpp: "int main() {}\n", c: "int main(void) { return 0; }\n",
    csharp: "class A {}\n", ruby: "def f; end\n", php: "<?php echo 1;\n", shellscript: "echo hi\n",
  };
  assert.deepEqual(Object.keys(samples).sort(), Object.keys(GRAMMAR_FILES).sort());
  for (const [languageId, text] of Object.entries(samples)) {
    const tree = await parsers.parse(languageId, text);
    assert.ok(tree, languageId);
    assert.equal(tree.rootNode.hasError, false, `${languageId}: ${tree.rootNode.toString()}`);
    tree.delete();
  }
  assert.equal(GRAMMAR_FILES.c, GRAMMAR_FILES.cpp);
  assert.equal(await parsers.language("markdown"), undefined);
  assert.equal(await parsers.parse("markdown", "# hi"), undefined);
  assert.equal(parsers.hasGrammar("plaintext"), false);
});

test("createParsers rejects a folder without the runtime (callers fall back to plain text)", async () => {
  await assert.rejects(createParsers({ wasmDir: `${WASM_DIR}/does-not-exist` }));
  assert.equal(await createParsers({ wasmDir: WASM_DIR }).then((p) => p.wasmDir), WASM_DIR);
});

/** Applies edits the way `DocumentTrees.edit` expects them: in order, each on the text the previous ones left. */
function apply(text: string, edits: readonly TextEdit[]): string {
  for (const e of edits) text = text.slice(0, e.startOffset) + e.newText + text.slice(e.oldEndOffset);
  return text;
}

test("incremental edits (typing, deleting, multi-line and non-ASCII changes) give the same tree as a fresh parse", async () => {
  const trees = new DocumentTrees(parsers);
  let text = "function a() {\n  return 1;\n}\n\nclass B {\n  m(x: string) { return x + \"é\"; }\n}\n";
  assert.ok((await trees.get("x.ts", "typescript", text, 1)).tree);
  const rounds: Array<(t: string) => TextEdit[]> = [
    (t) => [{ startOffset: t.indexOf("1;"), oldEndOffset: t.indexOf("1;") + 1, newText: "compute(2)" }],
    (t) => [{ startOffset: t.indexOf("compute"), oldEndOffset: t.indexOf("compute"), newText: "await " }],
    (t) => [{ startOffset: t.indexOf("class B"), oldEndOffset: t.indexOf("class B"), newText: "// 😀 emoji comment\nconst café = \"naïve\";\n" }],
    (t) => [
      { startOffset: t.length, oldEndOffset: t.length, newText: "function c() {\n  if (x) {\n" },
      { startOffset: 0, oldEndOffset: t.indexOf("\n") + 1, newText: "" },
    ],
    (t) => [{ startOffset: t.indexOf("m(x"), oldEndOffset: t.indexOf("}\n}") + 1, newText: "n() {}" }],
  ];
  let version = 1;
  for (const round of rounds) {
    const edits = round(text);
    text = apply(text, edits);
    trees.edit("x.ts", edits, ++version);
    const result = await trees.get("x.ts", "typescript", text, version);
    assert.ok(result.tree);
    assert.equal(result.incremental, true);
    const fresh = (await parsers.parse("typescript", text))!;
    assert.equal(result.tree.rootNode.toString(), fresh.rootNode.toString(), `after ${JSON.stringify(edits)}`);
    assert.equal(result.tree.rootNode.endIndex, text.length);
    fresh.delete();
  }
});

test("without reported edits the difference is found and the parse is still incremental and right", async () => {
  const trees = new DocumentTrees(parsers);
  const before = "def f(a):\n    return a\n\n\ndef g():\n    pass\n";
  const first = await trees.get("m.py", "python", before);
  const after = before.replace("return a", "if a:\n        return a * 2\n    return 0");
  const second = await trees.get("m.py", "python", after);
  assert.ok(first.tree && second.tree);
  assert.equal(second.incremental, true);
  const fresh = (await parsers.parse("python", after))!;
  assert.equal(second.tree.rootNode.toString(), fresh.rootNode.toString());
  assert.deepEqual(diffEdit("abcXdef", "abcYYdef"), { startOffset: 3, oldEndOffset: 4, newText: "YY" });
  assert.equal((await trees.get("m.py", "python", after)).tree, second.tree, "unchanged text keeps the tree");
});

test("huge and minified files are not parsed, with a reason; nor languages without a grammar", async () => {
  const trees = new DocumentTrees(parsers);
  const minified = `const a=1;${"x=1;".repeat(4000)}\n`;
  assert.match((await trees.get("min.js", "javascript", minified)).reason ?? "", /longer than 10000 characters/);
  const huge = "let x = 1;\n".repeat(100_000);
  assert.match((await trees.get("huge.js", "javascript", huge)).reason ?? "", /1\.0 MB, over the 1 MB parse limit/);
  assert.match((await trees.get("notes.xyz", "xyz", "hello")).reason ?? "", /no tree-sitter grammar for xyz/);
  assert.equal(trees.size, 0);
  assert.match((await new DocumentTrees(undefined).get("a.ts", "typescript", "x")).reason ?? "", /not loaded/);
});

test("concurrent requests on one document (keystrokes racing) each work on a tree that stays valid", async () => {
  const builder = new ContextBuilder(parsers);
  const base = "function area(r: number) {\n  return Math.PI * r * r;\n}\n\nexport function total(xs: number[]) {\n  let sum = 0;\n  ";
  const inputs = ["s", "su", "sum", "sum "].map((typed) => ({ path: "race.ts", languageId: "typescript", text: `${base}${typed}\n}\n`, offset: base.length + typed.length }));
  const results = await Promise.all(inputs.map((input) => builder.context(input)));
  for (const [i, result] of results.entries()) {
    const alone = await new ContextBuilder(parsers).context(inputs[i]);
    assert.deepEqual(result.cursor.scopes.map((s) => s.name), ["total"], JSON.stringify(result.notes));
    assert.deepEqual({ lineMode: result.lineMode, scopes: result.cursor.scopes, notes: result.notes }, { lineMode: alone.lineMode, scopes: alone.cursor.scopes, notes: alone.notes });
  }
});
