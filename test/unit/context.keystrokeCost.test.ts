// A keystroke's host work does not grow with the file (issue 12): typing the same characters at the same kind
// of place in a 2,000-line file and in a 30,000-line (about 1 MB) one, the text tree-sitter reads to reparse, the
// text read to place the editor's changes in the kept tree, and the text the typing-through cache hashes are
// counted (not timed) per keystroke, and the large file's counts stay those of the small one.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { ContextBuilder } from "../../src/context/buildContext";
import { DocumentTrees, pointAt, pointNear, type TextEdit } from "../../src/context/documentTrees";
import type { Parsers } from "../../src/context/parsers";
import { SuggestionCache } from "../../src/completion/cache/suggestionCache";
import { generateLargeTypeScript, LARGE_TS_MODULES, memoryFiles, testParsers } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

// Typed at the cursor; "\n" moves typing to a new line (a new text before the cursor's line).
const TYPED = "const shown = fmt.padLeft(\n    fmt.pad";
const COMPLETION = "formatPrice(item.price), 4);\n    return shown;\n  }\n\n  other(): void {}\n}";

interface Counts extends Record<"parsed" | "scanned" | "hashed", number[]> {
  /** Per keystroke: characters tree-sitter read while reparsing (context and block trim). */
  parsed: number[];
  /** Per keystroke: characters read to place the change in the kept tree. */
  scanned: number[];
  /** Per keystroke: characters the typing-through cache hashed. */
  hashed: number[];
  /** Snippets of the last keystroke: the context is the real one, not an empty shortcut. */
  symbols: string[];
  length: number;
}

/**
 * Types TYPED on a new line in the middle method of the file, one character per keystroke, feeding the change
 * to the builder as the editor does (with its start point when `withPoints`), then builds the context, trims a
 * multi-line completion at the cursor and asks the typing-through cache, as the pipeline does per keystroke.
 */
async function typeInto(lines: number, withPoints: boolean): Promise<Counts> {
  const builder = new ContextBuilder(parsers);
  const trees = (builder as unknown as { trees: DocumentTrees }).trees;
  const cache = new SuggestionCache();
  const files = memoryFiles(LARGE_TS_MODULES);
  const key = `file:///w/src/cart-${lines}.ts`;
  let text = generateLargeTypeScript(lines);
  // A line in the middle method of the middle class: after its `this.totalN += amount;`.
  const anchors = [...text.matchAll(/^ {4}this\.total\d+ \+= amount;\n/gm)];
  const middle = anchors[Math.floor(anchors.length / 2)];
  let offset = middle.index + middle[0].length;
  text = `${text.slice(0, offset)}    \n${text.slice(offset)}`;
  offset += 4;
  let version = 1;
  const input = () => ({ key, path: "src/cart.ts", languageId: "typescript", text, offset, version, files });
  await builder.context(input()); // opening the file: the one full parse
  const counts: Counts = { parsed: [], scanned: [], hashed: [], symbols: [], length: text.length };
  for (const ch of TYPED) {
    const parsedBefore = parsers.charsRead;
    const scannedBefore = trees.charsScanned;
    const hashedBefore = cache.charsHashed;
    const edit: TextEdit = { startOffset: offset, oldEndOffset: offset, newText: ch };
    if (withPoints) edit.start = pointAt(text, offset); // what VS Code's change event carries (counted by VS Code, not here)
    text = text.slice(0, offset) + ch + text.slice(offset);
    offset += 1;
    builder.edit(key, [edit], ++version);
    const context = await builder.context(input());
    await builder.trimToBlockEnd(input(), COMPLETION);
    const at = { path: key, prefix: text.slice(0, offset), suffix: text.slice(offset) };
    cache.get(at);
    cache.set(at, { texts: ["x"] });
    counts.parsed.push(parsers.charsRead - parsedBefore);
    counts.scanned.push(trees.charsScanned - scannedBefore);
    counts.hashed.push(cache.charsHashed - hashedBefore);
    counts.symbols = context.snippets.map((s) => s.symbol ?? "");
  }
  builder.forget(key);
  return counts;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

for (const withPoints of [true, false]) {
  test(`typing in a 1 MB file reads no more text per keystroke than in a 2,000-line file (${withPoints ? "edits with their start point, as VS Code sends them" : "edits as offsets only, as the CLI and the bench send them"})`, async () => {
    const small = await typeInto(2000, withPoints);
    const large = await typeInto(30_000, withPoints);
    assert.ok(large.length > 14 * small.length && large.length > 800_000, `the large file is ${large.length} characters, the small one ${small.length}`);
    // The context is real in both: the imported function called on the line is found.
    assert.ok(small.symbols.includes("padLeft") && large.symbols.includes("padLeft"), `snippets: ${small.symbols} / ${large.symbols}`);
    const report = (name: "parsed" | "scanned" | "hashed") => `${name} per keystroke, small file: ${small[name].join(" ")}; large file: ${large[name].join(" ")}`;
    // The reparse reads around the edit (tree-sitter takes up to 5,120 characters a read): a few reads, the same in both.
    assert.ok(sum(large.parsed) <= 1.25 * sum(small.parsed), report("parsed"));
    assert.ok(Math.max(...large.parsed) <= 20_000, report("parsed"));
    // Placing a change reads the line it is on and a little before it, never the file down to it.
    assert.ok(Math.max(...large.scanned) <= 400 && sum(large.scanned) <= sum(small.scanned) + 200, report("scanned"));
    // Moving to a new line gives the cache a new text before the line: compared, not hashed.
    assert.deepEqual([...new Set([...small.hashed, ...large.hashed])], [0], report("hashed"));
  });
}

test("pointNear gives the point pointAt counts from the top, at every offset", async () => {
  const trees = new DocumentTrees(parsers);
  const text = generateLargeTypeScript(400);
  const { tree } = await trees.get("k", "typescript", text);
  assert.ok(tree);
  for (let offset = 0; offset <= text.length; offset += 3) assert.deepEqual(pointNear(tree, text, offset), pointAt(text, offset), `offset ${offset}`);
  trees.clear();
});
