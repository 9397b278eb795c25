// Two KV caches for completions (src/engine/kvChoice.ts): a new place's evaluation goes to the cache used least
// recently, so the place before it stays warm; a warm-up at a cold place puts its short prompt in one cache and
// the full context in the other, and the first keystroke there evaluates only what it typed. Real worker and
// inference, real tree-sitter context over the 2,885-line benchmark file. The cold-place cases run on the
// 0.5B-shape model: a cold start depends on the measured prompt speed, and the tiny model evaluates a whole
// prompt faster than a 0.5B model evaluates the short one, so it never has a cold place.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { chooseCache, choosePrefetchCache, PREFETCH_MAX_DISCARD } from "../../src/engine/kvChoice";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type DocumentPosition } from "../../src/completion/pipeline";
import { createContextSource } from "../../src/cli/contextSource";
import { realisticModelPath, tinyModelPath } from "../helpers/models";

const FILE = readFileSync(resolve("test/fixtures/bench/StandardController.ts"), "utf8");
const LINES = FILE.split("\n");

/** The benchmark file with `typed` lines inserted before line `line` (0-based), each indented 8; the cursor at the end of the last. */
function typedAt(line: number, ...typed: string[]): DocumentPosition {
  const before = LINES.slice(0, line).join("\n") + "\n";
  const inserted = typed.map((t) => "        " + t).join("\n");
  const text = before + inserted + "\n" + LINES.slice(line).join("\n");
  return { key: "bench.ts", relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text, offset: before.length + inserted.length, repoName: "msal-browser" };
}

test("a prompt goes to the cache it continues; a new place to the one used least recently", () => {
  const kept = [
    { items: "abcdefgh", usedAt: 2 },
    { items: "xyz", usedAt: 1 },
  ];
  assert.equal(chooseCache(kept, "abcdefghij"), 0, "typing on at the same place");
  assert.equal(chooseCache(kept, "xyzw"), 1, "the other place, used less recently");
  assert.equal(chooseCache(kept, "abQRSTUVWX"), 1, "a new place (2 of 10 shared) overwrites the least recently used cache");
  assert.equal(chooseCache([{ items: "", usedAt: 0 }], "anything"), 0, "one cache: always it");
  const resumed = [
    { items: "header short prompt typed", usedAt: 2 },
    { items: "header full con", usedAt: 3 },
  ];
  assert.equal(chooseCache(resumed, "header full context, a long prompt evaluated in steps"), 1, "a full context resumed: its cache holds a start of it, however small a share");
  assert.equal(chooseCache(resumed, "header short prompt typed on"), 0, "the short prompt typed on");
  assert.equal(chooseCache(resumed, "header elsewhere"), 0, "a new place still goes to the cache used least recently");
});

test("a prefetch does not throw away the typing place's cache; one that only adds to it goes there", () => {
  const stable = "s".repeat(100);
  const kept = [
    { items: `${stable}SUFFIX-${"t".repeat(60)}`, usedAt: 3 },
    { items: "elsewhere", usedAt: 1 },
  ];
  const acceptedLines = `${stable}accepted\nSUFFIX-${"t".repeat(60)}`;
  assert.equal(chooseCache(kept, acceptedLines), 0, "by the general rule it would continue the typing place's cache");
  assert.equal(choosePrefetchCache(kept, acceptedLines, 0), 1, `it would throw away ${kept[0].items.length - stable.length} tokens there: the other cache`);
  assert.equal(choosePrefetchCache(kept, acceptedLines, undefined), 0, "no keystroke yet: the general rule");
  assert.equal(choosePrefetchCache(kept, acceptedLines, 1), 0, "the typing place is the other cache: the general rule");
  const acceptedOnTheLine = `${kept[0].items.slice(0, -PREFETCH_MAX_DISCARD)}accepted`;
  assert.equal(choosePrefetchCache(kept, acceptedOnTheLine, 0), 0, `throwing away ${PREFETCH_MAX_DISCARD} tokens (the typed line's tail): the same cache`);
  const three = [...kept, { items: `${stable}accepted\nSUF`, usedAt: 2 }];
  assert.equal(choosePrefetchCache(three, acceptedLines, 0), 2, "of the others, the one it continues the most");
});

let engine: EngineClient;
let shaped: EngineClient;
before(async () => {
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  engine.setModel({ path: await tinyModelPath(), contextSize: 4096, gpuLayers: 0, threads: 2 });
  const info = await engine.ensureModel();
  assert.equal(info.completionCaches, 2, "the worker reports its two completion caches");
  shaped = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  shaped.setModel({ path: await realisticModelPath("qwen2.5-coder-0.5b"), contextSize: 4096, gpuLayers: 0, threads: 2 });
  await shaped.ensureModel();
});
after(async () => {
  await engine.dispose();
  await shaped.dispose();
});

test("the worker: evaluating another place keeps the first one's KV cache", { timeout: 120_000 }, async () => {
  const first = [{ text: `// first place\n${LINES.slice(100, 160).join("\n")}\n` }];
  const other = [{ text: `/* other place */\n${LINES.slice(2000, 2060).join("\n")}\n` }];
  const a = await engine.complete({ prompt: first, maxTokens: 1, evaluateOnly: true, priority: "background" });
  await engine.complete({ prompt: other, maxTokens: 1, evaluateOnly: true, priority: "background" });
  const typed = await engine.complete({ prompt: [...first, { text: "const x" }], maxTokens: 2, priority: "interactive" });
  assert.ok(typed.stats.reusedTokens >= a.stats.promptTokens - 1, `typing at the first place reused ${typed.stats.reusedTokens} of its ${a.stats.promptTokens} tokens`);
  assert.ok(typed.stats.evaluatedTokens <= 4, `and evaluated only what was typed (${typed.stats.evaluatedTokens} tokens)`);
});

test("the worker: a prefetch of a multi-line acceptance leaves the typing place's cache, so typing on there evaluates only what was typed", { timeout: 120_000 }, async () => {
  const before = { text: `// typing place\n${LINES.slice(300, 360).join("\n")}\n` };
  const after = { text: `${LINES.slice(361, 400).join("\n")}\n` };
  const typed = (text: string) => [before, { text: "<after>" }, after, { text: "<typed>" }, { text: text }];
  const first = await engine.complete({ prompt: typed("        const value"), maxTokens: 2, priority: "interactive" });
  // Accepting a two-line suggestion puts a line before the cursor's line: the prompt changes before the text after the cursor.
  const accepted = [{ text: `${before.text}        const value = this.read();\n` }, { text: "<after>" }, after, { text: "<typed>" }, { text: "        " }];
  const prefetch = await engine.complete({ prompt: accepted, maxTokens: 2, priority: "prefetch" });
  assert.ok(prefetch.stats.evaluatedTokens > PREFETCH_MAX_DISCARD, `the prefetch's prompt differs from the typing place's early (${prefetch.stats.evaluatedTokens} tokens evaluated)`);
  const typedOn = await engine.complete({ prompt: typed("        const value ="), maxTokens: 2, priority: "interactive" });
  assert.ok(typedOn.stats.reusedTokens >= first.stats.promptTokens - 2, `typing on reused ${typedOn.stats.reusedTokens} of ${first.stats.promptTokens} tokens`);
  assert.ok(typedOn.stats.evaluatedTokens <= 4, `and evaluated only what was typed (${typedOn.stats.evaluatedTokens} tokens)`);
  const acceptedThen = await engine.complete({ prompt: [...accepted.slice(0, -1), { text: "        return" }], maxTokens: 2, priority: "interactive" });
  assert.ok(acceptedThen.stats.evaluatedTokens <= 4, `accepting instead finds the prefetch's tokens (${acceptedThen.stats.evaluatedTokens} evaluated)`);
});

/** A warm-up at `position` stopped once its short prompt is in the KV cache (the full context not evaluated). */
async function warmShortOnly(position: DocumentPosition): Promise<CompletionPipeline> {
  const controller = new AbortController();
  const log: string[] = [];
  const pipeline = new CompletionPipeline(shaped, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 60_000 }, (line) => {
    log.push(line);
    if (line.startsWith("warm-ahead: short prompt")) controller.abort();
  });
  await pipeline.warm(position, controller.signal);
  assert.ok(log.some((l) => l.startsWith("warm-ahead: short prompt")), `the warm-up evaluated the short prompt first (log: ${JSON.stringify(log)})`);
  return pipeline;
}

test("cold place: after a warm-up's short prompt, the first keystroke there evaluates only the typed text", { timeout: 120_000 }, async () => {
  const pipeline = await warmShortOnly(typedAt(1500, ""));
  const outcome = await pipeline.complete(typedAt(1500, "c"));
  assert.equal(pipeline.lastShortPrompt, true, "answered from the short prompt (the full context is not in yet)");
  assert.ok(outcome.stats!.evaluatedTokens <= 4, `evaluated ${outcome.stats!.evaluatedTokens} of ${outcome.stats!.promptTokens} tokens`);
});

test("cold place: a keystroke on the next line (Enter after the warm-up) keeps the short prompt's start", { timeout: 120_000 }, async () => {
  const pipeline = await warmShortOnly(typedAt(1500, "const total = 1;"));
  const outcome = await pipeline.complete(typedAt(1500, "const total = 1;", "c"));
  assert.equal(pipeline.lastShortPrompt, true);
  const { promptTokens, reusedTokens } = outcome.stats!;
  assert.ok(reusedTokens >= promptTokens / 2, `reused ${reusedTokens} of ${promptTokens} tokens: the prompt starts where the warm-up's did`);
});

test("cold place: a whole warm-up leaves the short prompt and the full context each in a cache", { timeout: 180_000 }, async () => {
  const log: string[] = [];
  // The tiny model: the new pipeline's first request is sized from the default prompt speed, so the place is cold.
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 60_000 }, (line) => log.push(line));
  const full = await pipeline.warm(typedAt(700, ""));
  assert.ok(log.some((l) => l.startsWith("warm-ahead: short prompt")));
  assert.ok(full && full.promptTokens > 300, `the full context was evaluated after it (${full?.promptTokens} tokens)`);
  const outcome = await pipeline.complete(typedAt(700, "r"));
  assert.equal(pipeline.lastShortPrompt, false, "with the full context in, the keystroke uses it");
  assert.ok(outcome.stats!.evaluatedTokens <= 4, `evaluated ${outcome.stats!.evaluatedTokens} of ${outcome.stats!.promptTokens} tokens`);
});

test("cold place: a keystroke behind a short-prompt answer pre-empts its full context, which then goes on", { timeout: 180_000 }, async () => {
  const log: string[] = [];
  const pipeline = new CompletionPipeline(shaped, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 0 }, (line) => log.push(line));
  await pipeline.complete(typedAt(1200, "c"));
  assert.equal(pipeline.lastShortPrompt, true);
  assert.equal(pipeline.fullContextPending, true, "the full context is scheduled behind the short-prompt answer");
  // The next keystroke, still cold, reaches the worker (its first text arrives) and is then cancelled: it leaves no
  // answer that would schedule the full context again.
  const controller = new AbortController();
  const next = await pipeline.complete(typedAt(1200, "co"), controller.signal, "interactive", { onEarly: () => controller.abort() });
  assert.equal(next.reason, "cancelled");
  assert.equal(pipeline.lastShortPrompt, true, "the keystroke was answered from the short prompt too");
  const deadline = Date.now() + 150_000;
  while (pipeline.fullContextPending && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(log.some((l) => l.startsWith("full context evaluated in the background")), `the full context was evaluated all the same (log: ${JSON.stringify(log.slice(-4))})`);
});

test("cold place: an edit stops the full context at its next step, and it goes on, not started over, once the edit's keystroke is answering", { timeout: 180_000 }, async () => {
  const log: string[] = [];
  const pipeline = new CompletionPipeline(shaped, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 0 }, (line) => log.push(line));
  await pipeline.complete(typedAt(900, "c"));
  assert.equal(pipeline.lastShortPrompt, true);
  const busy = async () => (await shaped.workerStatus()).pending > 0;
  const deadline = Date.now() + 30_000;
  while (!(await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(await busy(), "the full context is being evaluated in the worker");

  pipeline.yieldToEdit();
  // Stopped at its next step, before any request comes: the worker is idle while the full context is still to do.
  while ((await busy()) && pipeline.fullContextPending) await new Promise((r) => setTimeout(r, 10));
  assert.equal(pipeline.fullContextPending, true, `the worker went idle with the full context still to do (log: ${JSON.stringify(log.slice(-3))})`);

  // The edit's keystroke is answered, from the short prompt again; the full context on its way is not started
  // over (with its delay) but goes on with that answer's pieces.
  const keystroke = await pipeline.complete(typedAt(900, "co"));
  assert.equal(pipeline.lastShortPrompt, true);
  assert.ok(keystroke.stats, "the edit's keystroke was answered by the model");
  const end = Date.now() + 150_000;
  while (pipeline.fullContextPending && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  const done = log.find((l) => l.startsWith("full context evaluated in the background"));
  assert.ok(done && !done.includes("(0 resumed"), `the full context went on after the keystroke and was evaluated (log: ${JSON.stringify(log.slice(-4))})`);
});

test("cold place: a keystroke's request cancelled before it answers keeps the full context held for the request after it", { timeout: 180_000 }, async () => {
  // With the suggest widget, VS Code asks for the key, cancels when the widget's items come, and asks again beside
  // the selected item: the full context must not step in between (bench:editor: 345 ms in the worker's queue).
  const pipeline = new CompletionPipeline(shaped, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true, fullContextAfterMs: 0 });
  await pipeline.complete(typedAt(950, "c"));
  assert.equal(pipeline.lastShortPrompt, true);
  pipeline.yieldToEdit();
  const asked = new AbortController();
  const cancelled = pipeline.complete(typedAt(950, "co"), asked.signal);
  asked.abort();
  assert.equal((await cancelled).reason, "cancelled");
  assert.equal(pipeline.heldForEdit, true, "still held after the cancelled request");
  const answered = await pipeline.complete(typedAt(950, "co."));
  assert.ok(answered.stats, "the request after it is answered by the model");
  assert.equal(pipeline.heldForEdit, false, "released once a request answers");
  assert.equal(pipeline.fullContextPending, true, "the full context is still to do, and goes on");
});

test("cold place: typing on while the full context is evaluated between keystrokes keeps the short prompt in its cache", { timeout: 180_000 }, async () => {
  // Each keystroke's edit stops the full context (yieldToEdit), which resumes after the answer with a part of it
  // evaluated. That part must go on in its own cache, not overwrite the short prompt's: the next keystroke would
  // then evaluate its whole short prompt again, and the one after it too.
  const pipeline = new CompletionPipeline(shaped, await createContextSource(resolve(".")), { ...DEFAULT_COMPLETION_OPTIONS, coldStart: true });
  const typed = "const result = this";
  const evaluated: number[] = [];
  for (let i = 1; i <= 6; i++) {
    pipeline.yieldToEdit();
    const outcome = await pipeline.complete(typedAt(1300, typed.slice(0, i)));
    if (i > 1) evaluated.push(outcome.stats!.evaluatedTokens);
    await new Promise((r) => setTimeout(r, 900)); // the full context runs for a while (it starts 400 ms after an answer)
  }
  assert.ok(evaluated.every((n) => n <= 4), `each keystroke after the first evaluated only what it typed (evaluated: ${evaluated.join(", ")})`);
});

test("the worker remembers a long piece's tokens between requests: the same tokens as tokenizing it, for the model in use", { timeout: 120_000 }, async () => {
  const piece = `// a long piece\n${LINES.slice(300, 340).join("\n")}\n`;
  assert.ok(piece.length >= 1024, "long enough to be remembered");
  const client = new EngineClient({ workerPath: resolve("dist/worker.mjs") });
  try {
    // Two vocabularies (the tiny model's and the 0.5B shape's): what is remembered for one model is not the other's.
    const counts: number[] = [];
    for (const [family, path] of [["tiny", await tinyModelPath()], ["0.5B shape", await realisticModelPath("qwen2.5-coder-0.5b")]] as const) {
      client.setModel({ path, contextSize: 4096, gpuLayers: 0, threads: 2 });
      await client.ensureModel();
      const whole = (await client.tokenize(piece)).tokens.length;
      const tail = (await client.tokenize("const x")).tokens.length;
      counts.push(whole);
      const first = await client.complete({ prompt: [{ text: piece }], maxTokens: 1, evaluateOnly: true, priority: "background" });
      const again = await client.complete({ prompt: [{ text: piece }, { text: "const x" }], maxTokens: 1, evaluateOnly: true, priority: "background" });
      const bos = first.stats.promptTokens - whole;
      assert.ok(bos === 0 || bos === 1, `${family}: the prompt is the piece's ${whole} tokens (and a BOS), not ${first.stats.promptTokens}`);
      assert.equal(again.stats.promptTokens, bos + whole + tail, `${family}: the remembered piece and the new one`);
      assert.equal(again.stats.reusedTokens, first.stats.promptTokens, `${family}: the second request continues the first's cache`);
    }
    assert.notEqual(counts[0], counts[1], "the two models tokenize the piece differently");
  } finally {
    await client.dispose();
  }
});
