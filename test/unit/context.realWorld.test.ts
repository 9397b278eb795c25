// The context engine on what real code and real workspaces bring (issue 12): budgets from the model's context
// size, multi-root workspaces, declarations the grammar cannot parse, Python definitions under top-level
// if/else/try, trailing comments, the name at the cursor first, a function before a same-name namespace.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { ContextBuilder } from "../../src/context/buildContext";
import { contextBudget } from "../../src/context/budget";
import { definitionsOf } from "../../src/context/definitions";
import type { Parsers } from "../../src/context/parsers";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, type DocumentPosition } from "../../src/completion/pipeline";
import { treeSitterContext } from "../../src/completion/treeSitterContext";
import { diskFiles } from "../../src/context/fsFiles";
import { generateLargeTypeScript, memoryFiles, testParsers, withCursor } from "../fixtures/context/fixtures";
import { tinyModelPath } from "../helpers/models";

let parsers: Parsers;
let engine: EngineClient | undefined;
before(async () => {
  parsers = await testParsers();
});
after(() => engine?.dispose());

async function definitionNames(languageId: string, source: string): Promise<Array<[string, number]>> {
  const tree = (await parsers.parse(languageId, source))!;
  try {
    return definitionsOf(tree, source).map((d) => [d.name, d.startLine]);
  } finally {
    tree.delete();
  }
}

test("budget: the split follows the model's context and output cap, never above the defaults", () => {
  assert.deepEqual(contextBudget({ contextSize: 4096, maxOutputTokens: 128 }), { prefixTokens: 1500, suffixTokens: 300, snippetTokens: 600 });
  const small = contextBudget({ contextSize: 512, maxOutputTokens: 128 });
  const total = small.prefixTokens + small.suffixTokens + small.snippetTokens;
  assert.ok(total + 128 <= 512, `the prompt parts (${total}) and the output fit 512 tokens`);
  assert.ok(small.prefixTokens > small.snippetTokens && small.snippetTokens > small.suffixTokens, "the default proportions");
  const capped = contextBudget({ contextSize: 32768, maxOutputTokens: 128, maxPromptTokens: 300 });
  assert.ok(capped.prefixTokens + capped.suffixTokens + capped.snippetTokens <= 300, "a prompt cap (a short first prompt) is kept");
});

test("budget: with a 512-token context a completion in a long file still comes back", async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 512, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
  const builder = new ContextBuilder(parsers);
  const pipeline = new CompletionPipeline(engine, treeSitterContext({ builder, files: diskFiles(resolve("test/fixtures/sample-workspace")) }));
  const text = generateLargeTypeScript(600);
  const offset = text.indexOf("\n", Math.floor(text.length * 0.6)) + 1;
  const position: DocumentPosition = { key: "/w/src/big.ts", relativePath: "src/big.ts", languageId: "typescript", text: `${text.slice(0, offset)}    const total = ${text.slice(offset)}`, offset: offset + "    const total = ".length, repoName: "w" };
  const outcome = await pipeline.complete(position);
  assert.equal(outcome.source === "model" || outcome.reason === "post-processing left nothing", true, `completed (${outcome.reason ?? outcome.source})`);
  assert.ok(outcome.stats && outcome.stats.promptTokens + 8 <= 512, "the prompt fit the context");
});

test("multi-root: each document resolves its imports in its own folder, even where the other folder has a file of the same name", async () => {
  const main = 'import { pick } from "./util";\n\nexport function run() {\n  return pick(<|>\n}\n';
  const a = Object.assign(memoryFiles({ "src/index.ts": main, "src/util.ts": "export function pick(fromA: number): number {\n  return fromA;\n}\n" }), { root: "file:///a" });
  const b = Object.assign(memoryFiles({ "src/index.ts": main, "src/util/index.ts": "export function pick(fromB: string): string {\n  return fromB;\n}\n" }), { root: "file:///b" });
  const builder = new ContextBuilder(parsers);
  const { text, offset } = withCursor(main);
  const inA = await builder.context({ key: "file:///a/src/index.ts", path: "src/index.ts", languageId: "typescript", text, offset, files: a });
  const inB = await builder.context({ key: "file:///b/src/index.ts", path: "src/index.ts", languageId: "typescript", text, offset, files: b });
  assert.match(inA.snippets.map((s) => s.text).join("\n"), /fromA: number/);
  assert.match(inB.snippets.map((s) => s.text).join("\n"), /fromB: string/, "folder b's own util/index.ts");
  assert.deepEqual(inB.snippets.map((s) => s.path), ["src/util/index.ts"]);
});

test("multi-root: two documents with the same relative path keep their own tree and prefix window", async () => {
  const lines = (name: string) => Array.from({ length: 400 }, (_, i) => `const ${name}${String(i).padStart(3, "0")} = ${String(i).padStart(3, "0")};`).join("\n") + "\n";
  const textA = lines("a");
  const textB = lines("b");
  const at = (text: string, line: number) => text.split("\n").slice(0, line - 1).join("\n").length + 1;
  const position = (key: string, text: string, line: number): DocumentPosition => ({ key, relativePath: "src/index.ts", languageId: "typescript", text, offset: at(text, line), repoName: "w" });
  const shared = treeSitterContext({ builder: new ContextBuilder(parsers), files: memoryFiles({}) });
  await shared.build(position("file:///a/src/index.ts", textA, 300), "auto");
  const sharedB = await shared.build(position("file:///b/src/index.ts", textB, 360), "auto");
  const freshB = await treeSitterContext({ builder: new ContextBuilder(parsers), files: memoryFiles({}) }).build(position("file:///b/src/index.ts", textB, 360), "auto");
  assert.equal(sharedB.prefix, freshB.prefix, "folder a's prefix window does not move folder b's");
});

test("a declaration inside a statement the grammar cannot parse is still found (from the error node's text)", async () => {
  // In a .tsx file `<T>value` opens a JSX element that never closes: the grammar swallows what follows.
  const source = "const cast = <T>value;\nexport function wanted(x: number): number {\n  return x;\n}\n";
  const tree = (await parsers.parse("typescriptreact", source))!;
  assert.ok(tree.rootNode.hasError, "the fixture really gives an error node");
  const wanted = definitionsOf(tree, source).find((d) => d.name === "wanted");
  tree.delete();
  assert.ok(wanted, "wanted is found");
  assert.equal(wanted.kind, "function");
  assert.equal(wanted.startLine, 2);
  assert.equal(wanted.text, "export function wanted(x: number): number {\n  return x;\n}");
});

test("Python: definitions under a top-level if/else and try/except are found", async () => {
  const source = [
    "import sys",
    "if sys.version_info >= (3, 8):",
    "    def cached(f):",
    "        return f",
    "else:",
    "    def cached(f):",
    "        return f",
    "try:",
    "    from json import loads",
    "except ImportError:",
    "    def loads(s):",
    "        return s",
    "",
  ].join("\n");
  assert.deepEqual(await definitionNames("python", source), [["cached", 3], ["cached", 6], ["loads", 11]]);
});

test("a comment trailing the previous line's code is not attached to the next declaration", async () => {
  assert.deepEqual(await definitionNames("typescript", "const a = 1; // about a\nexport function f(): number {\n  return a;\n}\n"), [["a", 1], ["f", 2]]);
  assert.deepEqual(await definitionNames("python", "x = 1  # about x\ndef f():\n    pass\n"), [["x", 1], ["f", 2]]);
  assert.deepEqual(await definitionNames("typescript", "const a = 1;\n// about f\nexport function f(): number {\n  return a;\n}\n"), [["a", 1], ["f", 2]], "a comment on its own line still is");
});

test("the name called at the cursor is packed first, before a large class used on the same line", async () => {
  const methods = Array.from({ length: 40 }, (_, i) => `  method${i}(value: number, other: string): number {\n    return value + other.length + ${i};\n  }`).join("\n");
  const files = memoryFiles({
    "src/lib.ts": `export class Big {\n${methods}\n}\n\nexport function target(amount: number): number {\n  return amount * 2;\n}\n`,
  });
  const { text, offset } = withCursor('import { Big, target } from "./lib";\n\nexport function run(b: Big) {\n  const size: Big = target(<|>\n}\n');
  const built = await new ContextBuilder(parsers).context({ path: "src/main.ts", languageId: "typescript", text, offset, files, snippetBudgetTokens: 150 });
  assert.ok(built.snippets.some((s) => s.symbol === "target"), `target's definition is in: ${built.snippets.map((s) => s.symbol).join(", ")}`);
});

test("a function is preferred over a namespace of the same name", async () => {
  const members = Array.from({ length: 30 }, (_, i) => `  export const option${i} = "value number ${i} of the format namespace";`).join("\n");
  const files = memoryFiles({
    "src/lib.ts": `export namespace format {\n${members}\n}\n\nexport function format(value: number): string {\n  return value.toFixed(2);\n}\n`,
  });
  const { text, offset } = withCursor('import { format } from "./lib";\n\nexport const label = format(<|>\n');
  const built = await new ContextBuilder(parsers).context({ path: "src/main.ts", languageId: "typescript", text, offset, files, snippetBudgetTokens: 90 });
  assert.match(built.snippets.map((s) => s.text).join("\n"), /export function format\(value: number\): string/);
});
