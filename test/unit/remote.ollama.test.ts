// The remote engine's Ollama request forms against recorded protocol exchanges replayed by a local HTTP server
// (test/fixtures/remote/ollama.json; Ollama cannot run here): Freehold's FIM prompt sent raw to /api/generate with
// a fixed num_ctx, the FIM family read from /api/show's vocabulary, /api/chat streamed as NDJSON, a model that
// cannot insert named clearly, an unknown model and an error inside the stream reported as such.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { CompletionPipeline, type DocumentPosition } from "../../src/completion/pipeline";
import { plainContext } from "../../src/completion/plainContext";
import { promptText } from "../../src/completion/prompt/buildPrompt";
import { ChatTurns } from "../../src/chat/chatTurn";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { OLLAMA_CONTEXT } from "../../src/engine/remote/ollama";
import { EngineError } from "../../src/engine/protocol";
import { loadFixture, startReplayServer } from "../helpers/replayServer";

let replay: Awaited<ReturnType<typeof startReplayServer>>;
const engines: RemoteEngine[] = [];
const SOURCE = "export function add(a: number, b: number): number {\n  return \n}\n";
const position: DocumentPosition = { key: "add.ts", relativePath: "src/add.ts", languageId: "typescript", text: SOURCE, offset: SOURCE.indexOf("return ") + 7, repoName: "demo" };

function ollama(model: string): RemoteEngine {
  const engine = new RemoteEngine({ server: { url: replay.url, kind: "ollama", model } });
  engines.push(engine);
  return engine;
}

before(async () => {
  replay = await startReplayServer(loadFixture(resolve("test/fixtures/remote/ollama.json")).exchanges);
});
after(async () => {
  await Promise.all(engines.map((e) => e.dispose()));
  await replay.close();
});

test("ghost text: Freehold's own FIM prompt goes raw to /api/generate; the NDJSON stream is the suggestion", async () => {
  const engine = ollama("qwen2.5-coder:1.5b-base");
  const pipeline = new CompletionPipeline(engine, { build: (p, m) => plainContext(p, m) });
  const outcome = await pipeline.complete(position);
  assert.equal(outcome.items[0]?.text, "a + b;");
  assert.equal(pipeline.lastPrompt?.family, "qwen", "the family comes from the vocabulary /api/show listed");
  const sent = replay.requests.find((r) => r.path === "/api/generate")!;
  assert.ok(sent.matched);
  assert.equal(sent.body?.raw, true, "raw: no template around Freehold's prompt");
  assert.equal(sent.body?.stream, true);
  assert.equal(sent.body?.prompt, promptText(pipeline.lastPieces!), "exactly the pipeline's prompt, special tokens written out");
  assert.match(String(sent.body?.prompt), /^<\|repo_name\|>demo\n<\|file_sep\|>src\/add\.ts\n<\|fim_prefix\|>.*<\|fim_suffix\|>.*<\|fim_middle\|> {2}return $/s);
  const options = sent.body?.options as Record<string, unknown>;
  assert.equal(options.num_ctx, OLLAMA_CONTEXT, "the same num_ctx on every request (a change would reload the model)");
  assert.equal(options.temperature, 0);
  assert.equal(options.num_predict, 24, "the single-line token cap");
  assert.ok((options.stop as string[]).includes("<|file_sep|>") && (options.stop as string[]).includes("\n"));
  assert.equal(outcome.stats?.evaluatedTokens, 7, "prompt_eval_count");
  assert.equal(outcome.stats?.generatedTokens, 3, "eval_count");
  assert.equal(engine.model?.contextSize, OLLAMA_CONTEXT);
});

test("chat: /api/chat with the system prompt and history, the NDJSON stream is the answer", async () => {
  const engine = ollama("qwen2.5-coder:7b-instruct");
  const pieces: string[] = [];
  const outcome = await new ChatTurns(engine).run({
    conversationId: "c",
    messages: [
      { role: "user", text: "Hi" },
      { role: "assistant", text: "Hello." },
    ],
    text: "How do I add?",
    systemPrompt: "You are terse.",
    maxTokens: 64,
    onText: (t) => pieces.push(t),
  });
  assert.equal(outcome.assistant?.text, "Use `a + b`.");
  assert.deepEqual(pieces, ["Use ", "`a + b`", "."]);
  const sent = replay.requests.find((r) => r.path === "/api/chat" && r.body?.model === "qwen2.5-coder:7b-instruct")!;
  assert.deepEqual(sent.body?.messages, [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello." },
    { role: "user", content: "How do I add?" },
  ]);
  assert.equal((sent.body?.options as Record<string, unknown>).num_predict, 64);
});

test("a model that cannot insert is named clearly as chat only", async () => {
  const engine = ollama("qwen2.5-coder:7b-instruct");
  const model = await engine.ensureModel();
  assert.equal(model.infill, false);
  await assert.rejects(engine.complete({ infill: { prefix: "x = ", suffix: "" }, maxTokens: 4 }), (error: unknown) => {
    assert.ok(error instanceof EngineError);
    assert.equal(error.code, "no-infill");
    assert.match(error.message, /ollama server at 127\.0\.0\.1:\d+ cannot complete code: Ollama says qwen2\.5-coder:7b-instruct cannot insert/);
    return true;
  });
});

test("an unknown model and an error inside the stream are reported as such", async () => {
  await assert.rejects(ollama("missing:latest").ensureModel(), /Ollama has no model "missing:latest" \(run `ollama pull missing:latest` on the server\)/);
  const engine = ollama("qwen2.5-coder:1.5b-base");
  const streamed: string[] = [];
  await assert.rejects(
    engine.chat({ conversationId: "x", history: [], message: "hi", maxTokens: 8 }, { onEvent: (e) => streamed.push(e.text) }),
    (error: unknown) => error instanceof EngineError && error.code === "server-error" && /Ollama: an error was encountered while running the model: unexpected EOF/.test(error.message),
  );
  assert.deepEqual(streamed, ["Partial"], "what came before the error was streamed");
});
