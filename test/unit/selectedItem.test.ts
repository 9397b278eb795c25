// Completing beside the suggest widget: the document as if the selected item were inserted, and the text that
// extends the item over its range (what the VS Code provider returns).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, type DocumentPosition } from "../../src/completion/pipeline";
import { extendSelectedItem, withSelectedItem } from "../../src/completion/selectedItem";
import { createContextSource } from "../../src/cli/contextSource";
import { tinyModelPath } from "../helpers/models";

const TEXT = "const total = compu\nconsole.log(total);\n";
const CURSOR = TEXT.indexOf("compu") + "compu".length;
const position: DocumentPosition = { key: "src/main.ts", relativePath: "src/main.ts", languageId: "typescript", text: TEXT, offset: CURSOR, repoName: "sample-workspace" };
const item = { startOffset: TEXT.indexOf("compu"), endOffset: CURSOR, text: "computeTotal" };

test("the position has the item inserted over its range and the cursor after it", () => {
  const at = withSelectedItem(position, item);
  assert.equal(at.text, "const total = computeTotal\nconsole.log(total);\n");
  assert.equal(at.text.slice(0, at.offset), "const total = computeTotal");
  assert.equal(at.key, position.key);
});

test("an item that also replaces text after the cursor keeps what follows its range", () => {
  const text = "call(fo)";
  const at = withSelectedItem({ ...position, text, offset: 7 }, { startOffset: 5, endOffset: 7, text: "format" });
  assert.equal(at.text, "call(format)");
  assert.equal(at.offset, 11);
});

test("the inserted text is the item followed by the completion; an empty completion offers nothing", () => {
  assert.equal(extendSelectedItem(item, "(values);"), "computeTotal(values);");
  assert.equal(extendSelectedItem(item, ""), undefined);
});

let engine: EngineClient;
before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
});
after(() => engine.dispose());

test("the model sees the selected item as typed (real inference)", { timeout: 120_000 }, async () => {
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
  const outcome = await pipeline.complete(withSelectedItem(position, item));
  assert.ok(pipeline.lastPrompt?.text.endsWith("<|fim_middle|>const total = computeTotal"), "the prompt's current line ends with the item");
  assert.ok(outcome.stats && outcome.stats.generatedTokens > 0);
  if (outcome.items.length) assert.ok(extendSelectedItem(item, outcome.items[0].text)!.startsWith("computeTotal"));
  else assert.ok(outcome.reason);
});
