// Ghost text before generation ends: the pipeline hands over a suggestion as soon as the streamed text makes
// one (the first line of a multi-line completion), answers typing through it from memory while generation goes
// on, and the whole text follows. Real worker, real inference on a scripted model (its output is known
// exactly), the real tree-sitter context.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type CompletionEngine, type CompletionOutcome, type DocumentPosition } from "../../src/completion/pipeline";
import { showablePart } from "../../src/completion/streamedText";
import { createContextSource } from "../../src/cli/contextSource";
import { scriptedModelPath } from "../helpers/models";

test("the shown part stops before a stop string and before a tail that may become one", () => {
  assert.equal(showablePart("total + 1;\nnext", ["\n"], false), "total + 1;");
  assert.equal(showablePart("a + b<|endof", ["<|endoftext|>", "\n"], false), "a + b", "the start of a stop string is held back");
  assert.equal(showablePart("a + b<|endoftext|>junk", ["<|endoftext|>"], false), "a + b");
  assert.equal(showablePart("a + b <", ["<|endoftext|>"], false), "a + b ");
});

test("a multi-line completion shows its first line while it streams, then whole lines only, cut by the line rules", () => {
  assert.equal(showablePart("let i", ["\n\n\n"], true), "let i", "the first line as it streams");
  assert.equal(showablePart("let i = 0;\n  whi", ["\n\n\n"], true), "let i = 0;", "a later line only once it is whole");
  assert.equal(showablePart("a();\nb();\nc", ["\n\n\n"], true), "a();\nb();");
  assert.equal(showablePart("a();\n  return sum;\nmore();\n", ["\n\n\n"], true, { equal: "  return sum;" }), "a();", "not the line already after the cursor");
  assert.equal(showablePart("  a();\n}\n  b();\n", ["\n\n\n"], true, { indentBelow: 2 }), "  a();\n}", "up to the line that closes the block");
});

const LOOP = "let i = 0;\n  while (i < values.length) {\n    sum += values[i];\n    i++;\n  }\n";
const TEXT = "export function total(values: number[]): number {\n  let sum = 0;\n  \n  return sum;\n}\n";
const CURSOR = TEXT.indexOf("sum = 0;\n  ") + "sum = 0;\n  ".length;

function at(text: string, offset: number): DocumentPosition {
  return { key: "src/total.ts", relativePath: "src/total.ts", languageId: "typescript", text, offset, repoName: "sample-workspace" };
}

let engine: EngineClient;
/** Token events that reached the host so far, across requests. */
let tokensSeen = 0;
let counting: CompletionEngine;

before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await scriptedModelPath("streamed-loop", LOOP), contextSize: 2048, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
  counting = {
    get model() {
      return engine.model;
    },
    ensureModel: () => engine.ensureModel(),
    complete: (params, options) =>
      engine.complete(params, {
        ...options,
        onEvent: (event) => {
          tokensSeen++;
          options?.onEvent?.(event);
        },
      }),
  };
});

after(() => engine.dispose());

async function pipeline(): Promise<CompletionPipeline> {
  return new CompletionPipeline(counting, await createContextSource(resolve("test/fixtures/sample-workspace")), { ...DEFAULT_COMPLETION_OPTIONS, multiline: "always", coldStart: false });
}

test("the first line is handed over before generation ends; the whole text follows; typing through reads the grown text", { timeout: 120_000 }, async () => {
  const p = await pipeline();
  const position = at(TEXT, CURSOR);
  const typed = at(TEXT.slice(0, CURSOR) + "let" + TEXT.slice(CURSOR), CURSOR + 3);
  tokensSeen = 0;
  let early: CompletionOutcome | undefined;
  let tokensAtEarly = -1;
  let typedThroughEarly: string[] | undefined;
  const final = await p.complete(position, undefined, "interactive", {
    onEarly: (outcome) => {
      early = outcome;
      tokensAtEarly = tokensSeen;
      typedThroughEarly = p.fromCache(typed)?.map((c) => c.text);
    },
  });
  assert.ok(early, "a suggestion was handed over while streaming");
  assert.equal(early.early, true);
  assert.deepEqual(early.items.map((c) => c.text), ["let i = 0;"], "the first line, as soon as it was whole");
  assert.equal(tokensAtEarly, 1, "after the first token of the script's five");
  assert.deepEqual(typedThroughEarly, [" i = 0;"], "typing through the shown line is answered from memory while generation goes on");

  assert.equal(final.early, undefined);
  assert.equal(final.source, "model");
  assert.equal(final.stats?.generatedTokens, 5, "generation went on to the end of the script after the early answer");
  assert.equal(final.items[0].text, LOOP.trimEnd(), "the whole text");
  assert.ok(final.items[0].text.startsWith(early.items[0].text), "the shown text grows; it is not replaced");
  assert.deepEqual(p.fromCache(typed)?.map((c) => c.text), [LOOP.trimEnd().slice(3)], "the position typed into before the end now reads the whole text");
  assert.deepEqual(p.fromCache(position)?.map((c) => c.text), [LOOP.trimEnd()]);
});

test("a generation cancelled after its early answer leaves nothing of it in memory", { timeout: 120_000 }, async () => {
  const p = await pipeline();
  const position = at(TEXT, CURSOR);
  const controller = new AbortController();
  let early: CompletionOutcome | undefined;
  const outcome = await p.complete(position, controller.signal, "interactive", {
    onEarly: (o) => {
      early = o;
      controller.abort();
    },
  });
  assert.ok(early, "the first line was handed over");
  assert.equal(outcome.reason, "cancelled");
  assert.equal(p.fromCache(position), undefined, "the half-made suggestion is forgotten, not offered again as if whole");
});

test("a prefetch hands nothing over early: only what the user waits for streams", { timeout: 120_000 }, async () => {
  const p = await pipeline();
  let called = false;
  const outcome = await p.complete(at(TEXT, CURSOR), undefined, "prefetch", { onEarly: () => (called = true) });
  assert.equal(called, false);
  assert.equal(outcome.items[0].text, LOOP.trimEnd());
});
