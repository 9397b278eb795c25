// Nothing the user typed is lost when a chat turn fails (issue 10, item 6): real worker, real store on disk.
// The failure is real too: the worker is SIGKILLed while it streams the answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { ChatTurns } from "../../src/chat/chatTurn";
import { ConversationTurns, type TurnOptions } from "../../src/chat/conversationTurns";
import { ConversationStore } from "../../src/chat/conversationStore";
import type { Conversation } from "../../src/chat/types";
import { tinyModelPath } from "../helpers/models";

let engine: EngineClient;
let scratch: string;
let store: ConversationStore;
let turns: ConversationTurns;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "freehold-chat-failure-"));
  engine = new EngineClient({ workerPath: resolve("dist/worker.mjs"), backoffMs: [0] });
  engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
  store = new ConversationStore(join(scratch, "chats"));
  turns = new ConversationTurns(new ChatTurns(engine), store);
});

after(async () => {
  await engine.dispose();
  await rm(scratch, { recursive: true, force: true });
});

/** Options whose answer dies with the worker at its first streamed token. */
function killedAtFirstToken(): TurnOptions {
  let killed = false;
  return {
    maxTokens: 200,
    onText: () => {
      const pid = engine.workerPid;
      if (!killed && pid) {
        killed = true;
        process.kill(pid, "SIGKILL");
      }
    },
  };
}

async function onDisk(id: string): Promise<Conversation | undefined> {
  return new ConversationStore(store.dir).load(id);
}

test("a failed turn keeps the user's message, marked failed and saved; Retry answers it", async () => {
  const conversation: Conversation = { id: "c-failed", title: "t", createdAt: 0, updatedAt: 0, messages: [] };
  const end = await turns.send(conversation, { text: "Explain closures in JavaScript." }, killedAtFirstToken());
  assert.equal(end.kind, "failed");
  assert.match(end.error ?? "", /stopped unexpectedly \(signal SIGKILL\)/);
  assert.equal(conversation.messages.length, 1);
  assert.equal(conversation.messages[0].role, "user");
  assert.equal(conversation.messages[0].text, "Explain closures in JavaScript.");
  assert.match(conversation.messages[0].failed ?? "", /SIGKILL/);
  assert.deepEqual((await onDisk(conversation.id))?.messages, conversation.messages, "the failed message is on disk");

  const retried = await turns.retry(conversation, { maxTokens: 8 });
  assert.equal(retried?.kind, "answered");
  assert.equal(conversation.messages.length, 2);
  assert.equal(conversation.messages[0].failed, undefined, "no longer marked failed");
  assert.equal(conversation.messages[0].text, "Explain closures in JavaScript.");
  assert.equal(conversation.messages[1].role, "assistant");
  assert.ok(conversation.messages[1].text.length > 0);
  assert.deepEqual((await onDisk(conversation.id))?.messages, conversation.messages);
});

test("Regenerate keeps the previous answer until the new one completes", async () => {
  const conversation: Conversation = { id: "c-regenerate", title: "t", createdAt: 0, updatedAt: 0, messages: [] };
  const first = await turns.send(conversation, { text: "Write a haiku about tests." }, { maxTokens: 8 });
  assert.equal(first.kind, "answered");
  const before = structuredClone(conversation.messages);

  const failed = await turns.regenerate(conversation, killedAtFirstToken());
  assert.equal(failed?.kind, "failed");
  assert.deepEqual(conversation.messages, before, "a failed regeneration leaves question and answer as they were");
  assert.deepEqual((await onDisk(conversation.id))?.messages, before);

  const stop = new AbortController();
  const stopped = await turns.regenerate(conversation, { maxTokens: 200, signal: stop.signal, onText: () => stop.abort() });
  assert.equal(stopped?.kind, "stopped");
  assert.deepEqual(conversation.messages, before, "a stopped regeneration keeps the previous answer");

  const again = await turns.regenerate(conversation, { maxTokens: 12 });
  assert.equal(again?.kind, "answered");
  assert.equal(conversation.messages.length, 2);
  assert.equal(conversation.messages[0].text, before[0].text);
  assert.notEqual(conversation.messages[1].text, "");
  assert.deepEqual((await onDisk(conversation.id))?.messages, conversation.messages);
});
