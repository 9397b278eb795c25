// The remote engine against a real llama.cpp llama-server (built by scripts/build-llama-server.mjs, started here
// on a loopback port with generated models): exact ghost text and chat text from scripted models through the
// same pipeline and chat turns as the editor, Freehold's prompt keeping the server's KV cache between
// keystrokes, feature detection (a model without FIM tokens), cancel, a server killed mid-answer and restarted,
// a wrong URL and a server that stalls — each a clear error, none retried.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { CompletionPipeline } from "../../src/completion/pipeline";
import { createContextSource } from "../../src/cli/contextSource";
import { ChatTurns } from "../../src/chat/chatTurn";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { EngineError } from "../../src/engine/protocol";
import { scriptedModelPath, tinyModelPath } from "../helpers/models";
import { freePort, startLlamaServer, startSilentServer, type RunningLlamaServer } from "../helpers/llamaServer";
import { at, FIM_SCRIPT, SOURCE } from "../helpers/remoteScripts";

const CHAT_SCRIPT = "## Sum\n\n```ts\nconst sum = a + b;\n```\n";

let fimServer: RunningLlamaServer;
let chatServer: RunningLlamaServer;
const engines: RemoteEngine[] = [];
const servers: RunningLlamaServer[] = [];

function remote(url: string, options: Partial<ConstructorParameters<typeof RemoteEngine>[0]> = {}): RemoteEngine {
  const engine = new RemoteEngine({ server: { url, kind: "llama-server" }, windowId: "test-window", ...options });
  engines.push(engine);
  return engine;
}

before(async () => {
  const [fim, chat] = await Promise.all([scriptedModelPath("remote-fim", FIM_SCRIPT), scriptedModelPath("remote-chat", CHAT_SCRIPT, { family: "none" })]);
  [fimServer, chatServer] = await Promise.all([startLlamaServer({ model: fim, parallel: 2 }), startLlamaServer({ model: chat })]);
  servers.push(fimServer, chatServer);
});

after(async () => {
  await Promise.all(engines.map((engine) => engine.dispose()));
  await Promise.all(servers.map((server) => server.stop()));
});

test("ghost text through llama-server is exactly the scripted model's, from Freehold's own FIM prompt", async () => {
  const engine = remote(fimServer.url);
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
  const outcome = await pipeline.complete(at(SOURCE, "  return "));
  assert.equal(outcome.source, "model", outcome.reason);
  assert.equal(outcome.items[0]?.text, FIM_SCRIPT);
  assert.equal(pipeline.lastPrompt?.family, "qwen", "the FIM family was read from the server's vocabulary");
  assert.ok(pipeline.lastPrompt?.text.endsWith("<|fim_middle|>  return "), "the typed line goes after the middle token");
  const model = engine.model!;
  assert.equal(model.infill, true);
  assert.ok(model.specialTokens.includes("<|fim_prefix|>") && model.specialTokens.includes("<|file_sep|>"));
  assert.equal(model.contextSize, 1024, "the context of one slot");
  assert.ok(outcome.stats!.promptTokens > 20, `the server reports the prompt's size (${outcome.stats!.promptTokens})`);
  assert.equal(engine.status.state, "ready");
  assert.equal(engine.status.remote?.host, new URL(fimServer.url).host);
  assert.ok(engine.status.lastLatencyMs !== undefined);
});

test("the next keystroke evaluates only the new tail: the server keeps the prompt in this window's slot", async () => {
  const engine = remote(fimServer.url);
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
  const first = await pipeline.complete(at(SOURCE, "  return "));
  assert.equal(first.items[0]?.text, FIM_SCRIPT);
  pipeline.cache.clear();
  const typed = SOURCE.replace("  return ", "  return a");
  const second = await pipeline.complete(at(typed, "  return a"));
  const stats = second.stats!;
  assert.ok(stats.promptTokens > 20);
  assert.ok(stats.evaluatedTokens <= 4, `only the typed character's tokens were evaluated (${stats.evaluatedTokens} of ${stats.promptTokens})`);
  assert.equal(stats.reusedTokens, stats.promptTokens - stats.evaluatedTokens, "the rest came from the server's cache");
});

test("chat through llama-server's /v1/chat/completions streams exactly the scripted answer", async () => {
  const engine = remote(chatServer.url);
  const pieces: string[] = [];
  const outcome = await new ChatTurns(engine).run({ conversationId: "remote", messages: [], text: "What is the sum?", maxTokens: 200, onText: (text) => pieces.push(text) });
  assert.equal(outcome.assistant?.text, CHAT_SCRIPT);
  assert.ok(pieces.length > 1, `the answer streamed in pieces (${pieces.length})`);
  assert.equal(pieces.join(""), CHAT_SCRIPT);
  // A follow-up sends the history; the server answers it the same way.
  const followUp = await new ChatTurns(engine).run({ conversationId: "remote", messages: [outcome.user, outcome.assistant!], text: "And again?", maxTokens: 200 });
  assert.equal(followUp.assistant?.text, CHAT_SCRIPT);
});

test("a server whose model has no FIM tokens says so clearly, and still chats", async () => {
  const engine = remote(chatServer.url);
  const model = await engine.ensureModel();
  assert.equal(model.infill, false);
  await assert.rejects(engine.complete({ infill: { prefix: "x = ", suffix: "" }, maxTokens: 4 }), (error: unknown) => {
    assert.ok(error instanceof EngineError);
    assert.equal(error.code, "no-infill");
    assert.match(error.message, /llama-server server at 127\.0\.0\.1:\d+ cannot complete code: its model .* has no fill-in-the-middle tokens/);
    return true;
  });
  assert.match(engine.status.message ?? "", /cannot complete code/, "the status says it too");
  const pipeline = new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace")));
  const outcome = await pipeline.complete(at(SOURCE, "  return "));
  assert.equal(outcome.items.length, 0);
  assert.match(outcome.reason ?? "", /no fill-in-the-middle tokens/);
});

test("cancel aborts the HTTP request; the next request on the same server works", async () => {
  const server = await startLlamaServer({ model: await tinyModelPath() });
  servers.push(server);
  const engine = remote(server.url);
  const controller = new AbortController();
  const request = engine.complete({ infill: { prefix: "const values = [", suffix: "];\n" }, maxTokens: 400, timeLimitMs: 60_000 }, { signal: controller.signal, onEvent: () => controller.abort() });
  await assert.rejects(request, { code: "cancelled" });
  const next = await engine.complete({ infill: { prefix: "let total = ", suffix: ";\n" }, maxTokens: 4 });
  assert.ok(next.stats.generatedTokens > 0);
});

test("a server killed mid-answer fails the request clearly; after a restart the next request works", async () => {
  const port = await freePort();
  const model = await tinyModelPath();
  let server = await startLlamaServer({ model, port });
  servers.push(server);
  const engine = remote(server.url);
  let killed: Promise<void> | undefined;
  const doomed = engine.complete(
    { infill: { prefix: "const values = [", suffix: "];\n" }, maxTokens: 400, timeLimitMs: 120_000 },
    { onEvent: () => void (killed ??= server.kill()) },
  );
  await assert.rejects(doomed, (error: unknown) => {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.code, "server-error");
    assert.match(error.message, /connection to the server at 127\.0\.0\.1:\d+ was lost/);
    assert.match(error.message, /Nothing was retried/);
    return true;
  });
  assert.ok(killed, "the server was killed while the answer streamed");
  await killed;
  assert.equal(engine.status.state, "error", "the status says the last request failed");

  await assert.rejects(engine.complete({ infill: { prefix: "x = ", suffix: "" }, maxTokens: 4 }), { code: "server-unreachable" }, "while the server is down, a request fails at once");

  server = await startLlamaServer({ model, port });
  servers.push(server);
  const next = await engine.complete({ infill: { prefix: "let total = ", suffix: ";\n" }, maxTokens: 4 });
  assert.ok(next.stats.generatedTokens > 0, "the restarted server answers");
  assert.equal(engine.status.state, "ready");
  assert.equal(engine.requestCounts.complete, 3, "one request each: nothing was retried");
});

test("a wrong URL is a clear connection error", async () => {
  const port = await freePort();
  const engine = remote(`http://127.0.0.1:${port}`);
  await assert.rejects(engine.ensureModel(), (error: unknown) => {
    assert.ok(error instanceof EngineError);
    assert.equal(error.code, "server-unreachable");
    assert.match(error.message, new RegExp(`Could not connect to the server at 127\\.0\\.0\\.1:${port}: connection refused`));
    return true;
  });
  assert.equal(engine.status.state, "error");
  assert.match(engine.status.message ?? "", /connection refused/);
});

test("a server that accepts and then says nothing fails within the stall timeout, with a message that says so", async () => {
  const silent = await startSilentServer();
  try {
    const engine = remote(silent.url, { timeouts: { stallTimeoutMs: 1500 } });
    const started = Date.now();
    await assert.rejects(engine.ensureModel(), (error: unknown) => {
      assert.ok(error instanceof EngineError);
      assert.equal(error.code, "timeout");
      assert.match(error.message, /sent nothing for 1\.5 s/);
      return true;
    });
    const waited = Date.now() - started;
    assert.ok(waited >= 1400, `it waited for the stall timeout (${waited} ms)`);
    assert.ok(waited < 20_000, `and not for a default one (${waited} ms)`);
  } finally {
    await silent.close();
  }
});
