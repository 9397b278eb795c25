// The remote engine's OpenAI-compatible request forms (vLLM and the like) against recorded protocol exchanges
// replayed by a local HTTP server (test/fixtures/remote/openai.json): the FIM family read through /tokenize,
// Freehold's FIM prompt as a raw prompt to /v1/completions, /v1/chat/completions streamed as SSE, the usage
// numbers (cached tokens) as the request's stats, an API key sent as a bearer token, and a server without
// /tokenize refusing FIM with a message that says why.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { CompletionPipeline, type DocumentPosition } from "../../src/completion/pipeline";
import { plainContext } from "../../src/completion/plainContext";
import { promptText } from "../../src/completion/prompt/buildPrompt";
import { ChatTurns } from "../../src/chat/chatTurn";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { EngineError } from "../../src/engine/protocol";
import { loadFixture, startReplayServer } from "../helpers/replayServer";

const BASE = "Qwen/Qwen2.5-Coder-1.5B";
const INSTRUCT = "Qwen/Qwen2.5-Coder-7B-Instruct";
let replay: Awaited<ReturnType<typeof startReplayServer>>;
const engines: RemoteEngine[] = [];
const SOURCE = "export function add(a: number, b: number): number {\n  return \n}\n";
const position: DocumentPosition = { key: "add.ts", relativePath: "src/add.ts", languageId: "typescript", text: SOURCE, offset: SOURCE.indexOf("return ") + 7, repoName: "demo" };

function openai(model: string, url = replay.url, apiKey?: string): RemoteEngine {
  const engine = new RemoteEngine({ server: { url, kind: "openai", model }, apiKey: () => apiKey });
  engines.push(engine);
  return engine;
}

before(async () => {
  replay = await startReplayServer(loadFixture(resolve("test/fixtures/remote/openai.json")).exchanges);
});
after(async () => {
  await Promise.all(engines.map((e) => e.dispose()));
  await replay.close();
});

test("ghost text: the raw FIM prompt to /v1/completions, streamed; usage gives the cached tokens", async () => {
  const engine = openai(BASE, replay.url, "team-secret");
  const pipeline = new CompletionPipeline(engine, { build: (p, m) => plainContext(p, m) });
  const outcome = await pipeline.complete(position);
  assert.equal(outcome.items[0]?.text, "a + b;");
  assert.equal(pipeline.lastPrompt?.family, "qwen", "the family comes from the server's tokenizer");
  const sent = replay.requests.find((r) => r.path === "/v1/completions")!;
  assert.equal(sent.body?.prompt, promptText(pipeline.lastPieces!));
  assert.equal(sent.body?.model, BASE);
  assert.equal(sent.body?.stream, true);
  assert.equal(sent.body?.temperature, 0);
  assert.equal(sent.body?.max_tokens, 24);
  assert.deepEqual(sent.body?.stream_options, { include_usage: true });
  assert.equal(sent.headers.authorization, "Bearer team-secret", "the API key goes to the server as a bearer token");
  assert.deepEqual(outcome.stats && { prompt: outcome.stats.promptTokens, evaluated: outcome.stats.evaluatedTokens, reused: outcome.stats.reusedTokens, generated: outcome.stats.generatedTokens }, { prompt: 58, evaluated: 10, reused: 48, generated: 3 });
  assert.equal(engine.model?.contextSize, 32768, "max_model_len from /v1/models");
});

test("chat: /v1/chat/completions streamed as SSE", async () => {
  const engine = openai(INSTRUCT);
  const pieces: string[] = [];
  const outcome = await new ChatTurns(engine).run({ conversationId: "c", messages: [], text: "How do I add?", maxTokens: 64, onText: (t) => pieces.push(t) });
  assert.equal(outcome.assistant?.text, "Use `a + b`.");
  assert.deepEqual(pieces, ["Use ", "`a + b`", "."]);
  const sent = replay.requests.find((r) => r.path === "/v1/chat/completions")!;
  assert.deepEqual(sent.body?.messages, [{ role: "user", content: "How do I add?" }]);
  assert.equal(sent.body?.max_tokens, 64);
  assert.equal(sent.headers.authorization, undefined, "no key configured, none sent");
  assert.equal(engine.model?.infill, false, "the instruct model's tokenizer has no FIM tokens");
  const stats = outcome.result?.stats;
  assert.deepEqual(stats && { prompt: stats.promptTokens, evaluated: stats.evaluatedTokens, reused: stats.reusedTokens, generated: stats.generatedTokens }, { prompt: 31, evaluated: 31, reused: 0, generated: 4 }, "usage without cached tokens: the whole prompt was evaluated");
  assert.equal(outcome.result?.stopReason, "eog");
});

test("a model the server does not serve is named with the ones it does", async () => {
  await assert.rejects(openai("gpt-4o").ensureModel(), /does not serve "gpt-4o"; it serves Qwen\/Qwen2\.5-Coder-1\.5B, Qwen\/Qwen2\.5-Coder-7B-Instruct/);
});

test("a server without /tokenize says why it cannot complete code, and asks only once", async () => {
  const fixture = loadFixture(resolve("test/fixtures/remote/openai.json"));
  const bare = await startReplayServer(fixture.exchanges.filter((e) => e.request.path !== "/tokenize"));
  try {
    const engine = openai(BASE, bare.url);
    const model = await engine.ensureModel();
    assert.equal(model.infill, false);
    await assert.rejects(engine.complete({ infill: { prefix: "x", suffix: "" }, maxTokens: 2 }), (error: unknown) => {
      assert.ok(error instanceof EngineError && error.code === "no-infill");
      assert.match(error.message, /cannot complete code: the server has no \/tokenize endpoint, so the model's FIM tokens cannot be checked/);
      return true;
    });
    assert.equal(bare.requests.filter((r) => r.path === "/tokenize").length, 1, "asked once, then not again");
  } finally {
    await bare.close();
  }
});
