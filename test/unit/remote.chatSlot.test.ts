// Chat and completions on one llama-server: a chat turn keeps to its own slot, so the completion prompt this
// window keeps in its slot survives chat turns and the next keystroke evaluates only its new tokens. The servers
// run with `--cache-ram 0`: llama-server's host-memory prompt cache (on by default in recent builds) would
// otherwise copy an evicted prompt back and hide which slot a request went to; older builds, and GPU servers
// that turn it off, have none. Also: what chat reports as its stats (prompt = evaluated + reused), and a
// single-slot server, where chat and completions share the one slot.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { CompletionPipeline } from "../../src/completion/pipeline";
import { createContextSource } from "../../src/cli/contextSource";
import { ChatTurns } from "../../src/chat/chatTurn";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { scriptedModelPath } from "../helpers/models";
import { startLlamaServer, type RunningLlamaServer } from "../helpers/llamaServer";
import { at, FIM_SCRIPT, SOURCE } from "../helpers/remoteScripts";

const NO_PROMPT_CACHE = ["--cache-ram", "0"];

let model: string;
const engines: RemoteEngine[] = [];
const servers: RunningLlamaServer[] = [];

async function windowOn(parallel: number): Promise<{ engine: RemoteEngine; pipeline: CompletionPipeline }> {
  const server = await startLlamaServer({ model, parallel, extraArgs: NO_PROMPT_CACHE });
  servers.push(server);
  const engine = new RemoteEngine({ server: { url: server.url, kind: "llama-server" }, windowId: "test-window" });
  engines.push(engine);
  return { engine, pipeline: new CompletionPipeline(engine, await createContextSource(resolve("test/fixtures/sample-workspace"))) };
}

/** Types `typed` after "  return " and asks for ghost text with the pipeline's own cache cleared (a model call). */
async function keystroke(pipeline: CompletionPipeline, typed: string) {
  pipeline.cache.clear();
  const text = SOURCE.replace("  return ", `  return ${typed}`);
  const outcome = await pipeline.complete(at(text, `  return ${typed}`));
  assert.equal(outcome.source, "model", outcome.reason);
  assert.equal(outcome.items[0]?.text, FIM_SCRIPT);
  return outcome.stats!;
}

/** A chat turn and then a request with another system prompt (as Explain or a refactor sends), on the same server. */
async function chatTurns(engine: RemoteEngine) {
  const turns = new ChatTurns(engine);
  const first = await turns.run({ conversationId: "slot", messages: [], text: "What does add do? Explain it in a few words, with an example call.", maxTokens: 32 });
  assert.equal(first.assistant?.text, FIM_SCRIPT, "the scripted model answers chat with its script too");
  const followUp = await turns.run({ conversationId: "slot", messages: [first.user, first.assistant!], text: "And again?", maxTokens: 32 });
  // A long prompt that shares little with the chat's: llama-server, left to choose (`id_slot: -1`), would put it
  // in the least recently used slot, the completion's.
  const code = Array.from({ length: 12 }, (_, i) => `export function step${i}(value: number): number {\n  return value * ${i + 2} - ${i};\n}\n`).join("\n");
  const other = await turns.run({ conversationId: "other", messages: [], systemPrompt: "Rewrite the code the user gives. Answer with one fenced block.", text: `Rewrite these with a loop:\n\n\`\`\`ts\n${code}\`\`\``, maxTokens: 32 });
  assert.equal(other.assistant?.text, FIM_SCRIPT);
  assert.ok(other.result!.stats.promptTokens > 200, `a long request (${other.result!.stats.promptTokens} tokens)`);
  return { first: first.result!.stats, followUp: followUp.result!.stats };
}

before(async () => {
  model = await scriptedModelPath("remote-fim", FIM_SCRIPT);
});

after(async () => {
  await Promise.all(engines.map((engine) => engine.dispose()));
  await Promise.all(servers.map((server) => server.stop()));
});

test("with two slots, chat turns keep to their own slot: the next keystroke still evaluates only its new tokens", async () => {
  const { engine, pipeline } = await windowOn(2);
  await keystroke(pipeline, "");
  const before = await keystroke(pipeline, "a");
  assert.ok(before.evaluatedTokens <= 4, `consecutive keystrokes reuse the slot (${before.evaluatedTokens} of ${before.promptTokens})`);

  const chat = await chatTurns(engine);
  const after = await keystroke(pipeline, "a ");
  assert.ok(after.promptTokens > 20);
  assert.ok(after.evaluatedTokens <= 4, `after chat turns the completion prompt is still in its slot (${after.evaluatedTokens} of ${after.promptTokens} evaluated)`);
  assert.equal(after.reusedTokens, after.promptTokens - after.evaluatedTokens);

  // What chat reports: the server's own counts, consistent with each other.
  for (const stats of [chat.first, chat.followUp]) {
    assert.ok(stats.promptTokens > 20, `chat prompt tokens (${stats.promptTokens})`);
    assert.equal(stats.evaluatedTokens + stats.reusedTokens, stats.promptTokens, JSON.stringify(stats));
    assert.ok(stats.generatedTokens > 0, `generated tokens (${stats.generatedTokens})`);
  }
  assert.equal(chat.first.reusedTokens, 0, "the first chat turn found nothing of its prompt in its slot");
  assert.ok(chat.followUp.reusedTokens > chat.followUp.evaluatedTokens, `the follow-up reused the first turn's prompt from the chat slot (${JSON.stringify(chat.followUp)})`);
});

test("with one slot, chat and completions share it: a chat turn works and ghost text still follows it", async (t) => {
  const { engine, pipeline } = await windowOn(1);
  await keystroke(pipeline, "");
  await chatTurns(engine);
  const after = await keystroke(pipeline, "a");
  // The chat turn took the one slot; without a host prompt cache the completion prompt is evaluated again once
  // (the README's team-server section says so), and the keystroke after that is cheap again.
  assert.ok(after.promptTokens > 20);
  t.diagnostic(`one slot: the keystroke after chat turns evaluated ${after.evaluatedTokens} of ${after.promptTokens} prompt tokens`);
  const next = await keystroke(pipeline, "a ");
  assert.ok(next.evaluatedTokens <= 4, `the keystroke after that reuses the slot again (${next.evaluatedTokens} of ${next.promptTokens})`);
});
