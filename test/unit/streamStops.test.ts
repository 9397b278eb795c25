// A multi-line suggestion stops while it streams: at the first line of the code after the cursor and at the
// end of the enclosing block. The worker's StopScanner applies the rules the pipeline derives from the document
// (lineStopsFor); on a9aef86 the scanner knew only stop strings, so generation ran to its token cap.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { StopScanner } from "../../src/engine/worker/stopScanner";
import type { CompleteParams, LineStops } from "../../src/engine/protocol";
import { EngineClient } from "../../src/engine/client";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type CompletionEngine, type DocumentPosition } from "../../src/completion/pipeline";
import { lineStopsFor } from "../../src/completion/streamStops";
import { createContextSource } from "../../src/cli/contextSource";
import { tinyModelPath } from "../helpers/models";

/** Feeds the scanner token by token as the worker's generation loop does; returns how many tokens it took. */
function stream(pieces: string[], lines: LineStops, stops: string[] = ["\n\n\n"]) {
  const scanner = new StopScanner(stops, lines);
  let decoded = "";
  const shown: string[] = [];
  let consumed = 0;
  let stopped = false;
  for (const piece of pieces) {
    consumed++;
    decoded += piece;
    const step = scanner.update(decoded);
    if (step.delta) shown.push(step.delta);
    if (step.stopped) {
      stopped = true;
      break;
    }
  }
  const tail = scanner.flush();
  if (tail) shown.push(tail);
  return { text: scanner.text, shown: shown.join(""), consumed, stopped };
}

const DOCUMENT = "export function total(values: number[]): number {\n  let sum = 0;\n  \n  return sum;\n}\n\nexport const after = 1;\n";
const CURSOR = DOCUMENT.indexOf("sum = 0;\n  ") + "sum = 0;\n  ".length;

test("the rules come from the document: the next non-blank line and the cursor line's indentation", () => {
  assert.deepEqual(lineStopsFor(DOCUMENT, CURSOR), { equal: "  return sum;", indentBelow: 2 });
  const blockStart = "function f() {\n\n}\n";
  assert.deepEqual(lineStopsFor(blockStart, blockStart.indexOf("{\n") + 2), { equal: "}" });
  assert.equal(lineStopsFor("x\n", 2), undefined, "nothing after the cursor and no indentation: no rule");
  assert.deepEqual(lineStopsFor("  a\n  \n  ab\n", 6), { indentBelow: 2 }, "a two-character line is no evidence");
});

test("generation stops at the suffix's first line, which is not part of the suggestion", () => {
  const pieces = ["for", " (const v of values)", " sum += v;", "\n", "  return", " sum;", "\n", "}", "\n", "\n", "export", " const", " more", " = 2;"];
  const r = stream(pieces, lineStopsFor(DOCUMENT, CURSOR)!);
  assert.equal(r.stopped, true);
  assert.equal(r.consumed, 7, "stopped as soon as the line was complete, not at the end of the stream");
  assert.equal(r.text, "for (const v of values) sum += v;");
  assert.equal(r.shown, r.text, "nothing that was cut was ever streamed");
});

test("generation stops after the line that closes the enclosing block", () => {
  const pieces = ["sum += values", "[0];", "\n", "  sum", " *= 2;", "\n", "}", "\n", "\n", "function", " other()", " {", "\n", "  return", " 1;"];
  const r = stream(pieces, { indentBelow: 2 });
  assert.equal(r.stopped, true);
  assert.equal(r.consumed, 8);
  assert.equal(r.text, "sum += values[0];\n  sum *= 2;\n}");
});

test("an indented language: the dedented next statement ends the stream", () => {
  const pieces = ["total = 0", "\n", "    for v in values:", "\n", "        total += v", "\n", "\n", "def", " other", "():", "\n", "    pass"];
  const r = stream(pieces, { indentBelow: 4 });
  assert.equal(r.stopped, true);
  assert.equal(r.consumed, 11);
  assert.equal(r.text, "total = 0\n    for v in values:\n        total += v\n\ndef other():");
});

test("the last line is checked too when the stream ends without a newline", () => {
  const r = stream(["x = 1;", "\n", "  return", " sum;"], { equal: "  return sum;" });
  assert.equal(r.text, "x = 1;");
  assert.equal(r.shown, "x = 1;");
});

test("without rules nothing changes: the first line is never cut, stop strings still apply", () => {
  const r = stream(["}", "\n", "a"], {}, ["\n\n\n"]);
  assert.equal(r.stopped, false);
  assert.equal(r.text, "}\na");
  const first = stream(["  return sum;", "\n", "x"], { equal: "  return sum;" });
  assert.equal(first.text, "  return sum;\nx", "the first line is the cursor's own");
});

let engine: EngineClient;
before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 2048, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
});
after(() => engine.dispose());

test("the pipeline sends the rules with a multi-line request and the worker runs it (real inference)", { timeout: 120_000 }, async () => {
  const sent: CompleteParams[] = [];
  const recording: CompletionEngine = {
    get model() {
      return engine.model;
    },
    ensureModel: () => engine.ensureModel(),
    complete: (params, options) => {
      sent.push(params);
      return engine.complete(params, options);
    },
  };
  const pipeline = new CompletionPipeline(recording, await createContextSource(resolve("test/fixtures/sample-workspace")), DEFAULT_COMPLETION_OPTIONS);
  const position: DocumentPosition = { key: "src/total.ts", relativePath: "src/total.ts", languageId: "typescript", text: DOCUMENT, offset: CURSOR, repoName: "sample-workspace" };
  const outcome = await pipeline.complete(position);
  assert.ok(outcome.stats && outcome.stats.generatedTokens > 0, "the worker generated with the rules");
  assert.deepEqual(sent.at(-1)?.stopLines, { equal: "  return sum;", indentBelow: 2 });

  const single = { ...position, text: DOCUMENT.replace("let sum = 0;", "let sum = "), offset: DOCUMENT.indexOf("let sum = ") + "let sum = ".length };
  pipeline.cache.clear();
  await pipeline.complete(single);
  assert.equal(sent.at(-1)?.stopLines, undefined, "a single-line request stops at the newline anyway");
});
