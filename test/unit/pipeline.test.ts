// The completion pipeline end to end in plain Node: tree-sitter context, the FIM prompt for the model's
// family, the worker with real inference on the tiny model, post-processing and the typing-through cache.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, type DocumentPosition } from "../../src/completion/pipeline";
import { createContextSource } from "../../src/cli/contextSource";
import { tinyModelPath } from "../helpers/models";

let engine: EngineClient;
let pipeline: CompletionPipeline;
const SOURCE = `import { formatPrice } from "./format";

export function receipt(cents: number): string {
  const label = 
}
`;

function at(text: string, marker: string): DocumentPosition {
  return { key: "src/cart.ts", relativePath: "src/cart.ts", languageId: "typescript", text, offset: text.indexOf(marker) + marker.length, repoName: "sample-workspace" };
}

before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
  pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
});

after(() => engine.dispose());

test("a completion goes through context, the Qwen FIM form and the model", async () => {
  const outcome = await pipeline.complete(at(SOURCE, "const label = "));
  assert.equal(outcome.source, "model");
  assert.ok(outcome.items[0].text.length > 0);
  assert.ok(!outcome.items[0].text.includes("\n"), "single-line after code on the line");
  assert.equal(pipeline.lastPrompt?.family, "qwen");
  assert.ok(pipeline.lastPrompt?.text.includes("<|file_sep|>src/format.ts\n"), "the imported definition is in the prompt");
  assert.ok(pipeline.lastPrompt?.text.endsWith("<|fim_middle|>  const label = "));
  assert.ok(outcome.stats!.generatedTokens > 0);
});

test("typing the start of the suggestion is answered from memory, with no model call", async () => {
  const first = await pipeline.complete(at(SOURCE, "const label = "));
  const suggestion = first.items[0].text;
  const calls = pipeline.modelCalls;
  const typed = SOURCE.replace("const label = ", `const label = ${suggestion.slice(0, 2)}`);
  const through = await pipeline.complete(at(typed, `const label = ${suggestion.slice(0, 2)}`));
  assert.equal(through.source, "cache");
  assert.equal(through.items[0].text, suggestion.slice(2));
  assert.equal(pipeline.modelCalls, calls);
});

test("one more typed character evaluates only the current line's new tokens", async () => {
  pipeline.cache.clear();
  const a = await pipeline.complete(at(SOURCE, "const label = "));
  const typed = SOURCE.replace("const label = ", "const label = f");
  pipeline.cache.clear();
  const b = await pipeline.complete(at(typed, "const label = f"));
  assert.ok(b.stats!.reusedTokens >= a.stats!.promptTokens - 8, `reused ${b.stats!.reusedTokens} of ${b.stats!.promptTokens}`);
  assert.ok(b.stats!.evaluatedTokens <= 8, `evaluated ${b.stats!.evaluatedTokens}`);
});

test("an empty line in a body gets a multi-line suggestion trimmed to the block", async () => {
  const text = "export function total(values: number[]): number {\n  \n}\n\nexport const after = 1;\n";
  const outcome = await pipeline.complete(at(text, "number {\n  "));
  if (outcome.items.length) {
    const suggestion = outcome.items[0].text;
    assert.ok(!suggestion.includes("export const after"), "never runs into the code after the block");
  } else {
    assert.ok(outcome.reason, "an empty result says why");
  }
  assert.ok(outcome.stats!.generatedTokens > 1);
});

test("a chat-only model gives no completion and says why", async () => {
  const chatOnly = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  try {
    chatOnly.setModel({ path: await tinyModelPath({ family: "none" }), contextSize: 1024, gpuLayers: 0 });
    const outcome = await new CompletionPipeline(chatOnly, await createContextSource(resolve("."))).complete(at(SOURCE, "const label = "));
    assert.equal(outcome.items.length, 0);
    assert.match(outcome.reason ?? "", /chat only/);
  } finally {
    await chatOnly.dispose();
  }
});

test("each model family's generated GGUF yields its own prompt form and completes", async () => {
  for (const family of ["starcoder", "deepseek", "codellama", "codestral"] as const) {
    const client = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
    try {
      client.setModel({ path: await tinyModelPath({ family }), contextSize: 1024, gpuLayers: 0 });
      const p = new CompletionPipeline(client, await createContextSource(resolve("test/fixtures/sample-workspace")));
      const outcome = await p.complete(at(SOURCE, "const label = "));
      assert.equal(p.lastPrompt?.family, family, `detected ${family}`);
      // The exact token sequence: each special piece is one special token of this GGUF, text pieces tokenise plainly, plus BOS.
      let expected = 1;
      for (const piece of p.lastPieces!) {
        if ("special" in piece) {
          const { count } = await client.tokenize(piece.special, true);
          assert.equal(count, 1, `${piece.special} is one token in the ${family} GGUF`);
          expected += 1;
        } else expected += (await client.tokenize(piece.text, false)).count;
      }
      assert.equal(outcome.stats!.promptTokens, expected, `${family} prompt tokens`);
      const text = p.lastPrompt!.text;
      if (family === "codestral") assert.ok(text.startsWith("[SUFFIX]"), text.slice(0, 40));
      if (family === "starcoder") assert.ok(text.startsWith("<repo_name>sample-workspace\n<file_sep>src/format.ts\n"), text.slice(0, 60));
      if (family === "deepseek") assert.ok(text.startsWith("<｜fim▁begin｜>// src/format.ts\n"), text.slice(0, 60));
      if (family === "codellama") assert.ok(text.startsWith("▁<PRE> // src/format.ts\n"), text.slice(0, 60));
    } finally {
      await client.dispose();
    }
  }
});
