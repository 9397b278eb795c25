// Chat turn assembly on the tiny model's real tokenizer: attached context and history fitted into the context
// with notes for what was cut; turns through the shared ChatTurns reuse the worker's kept session.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { assembleTurn, cachedCounter, formatAttachment, type TokenCounter } from "../../src/chat/promptBudget";
import { ChatTurns, modelHistory } from "../../src/chat/chatTurn";
import type { Attachment, StoredMessage } from "../../src/chat/types";
import type { ChatMessage } from "../../src/engine/protocol";
import { tinyModelPath } from "../helpers/models";

const workerPath = resolve("dist/worker.mjs");
let engine: EngineClient;
let count: TokenCounter;

before(async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  engine = new EngineClient({ workerPath });
  engine.setModel({ path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 });
  await engine.ensureModel();
  count = cachedCounter(async (text) => (text ? (await engine.tokenize(text)).count : 0));
});

after(async () => {
  await engine.dispose();
});

const code = Array.from({ length: 200 }, (_, i) => `export function f${i}(value: number): number { return value * ${i} + ${i % 7}; }`).join("\n");
const selection: Attachment = { id: "s", kind: "selection", path: "src/math.ts", startLine: 10, endLine: 209, language: "typescript", text: code };

test("everything fits: the attached code comes before the typed message, nothing is noted", async () => {
  const small: Attachment = { ...selection, endLine: 12, text: code.split("\n").slice(0, 3).join("\n") };
  const turn = await assembleTurn({ history: [], message: "What does f1 do?", attachments: [small], contextSize: 4096, maxTokens: 256, count });
  assert.deepEqual(turn.notes, []);
  assert.equal(turn.message, `${formatAttachment(small)}\nWhat does f1 do?`);
  assert.match(turn.message, /^Selected code from src\/math\.ts:10-12:\n```typescript\nexport function f0/);
  assert.equal(turn.promptTokens, await count(turn.message));
});

test("an attachment larger than the budget is cut at a line and the cut is noted", async () => {
  const contextSize = 1024;
  const turn = await assembleTurn({ history: [], message: "Explain.", attachments: [selection], contextSize, maxTokens: 256, count });
  assert.equal(turn.included.length, 1);
  const kept = turn.included[0];
  assert.ok(kept.text.split("\n").length < 200 && kept.text.split("\n").length > 5, `kept ${kept.text.split("\n").length} lines`);
  assert.ok(code.startsWith(kept.text), "a start of whole lines is kept");
  assert.equal(kept.endLine, 10 + kept.text.split("\n").length - 1);
  assert.equal(turn.notes.length, 1);
  assert.match(turn.notes[0], new RegExp(`src/math\\.ts:10-209 was cut to \\d+ of 200 lines \\(src/math\\.ts:10-${kept.endLine}\\)`));
  assert.ok(turn.promptTokens <= contextSize - turn.reserve, `${turn.promptTokens} tokens within ${contextSize - turn.reserve}`);
  assert.ok(turn.promptTokens > (contextSize - turn.reserve) * 0.7, `the budget is used (${turn.promptTokens})`);
});

test("old turns are left out whole, newest kept, and it is noted", async () => {
  const history: ChatMessage[] = [];
  for (let i = 0; i < 12; i++) {
    history.push({ role: "user", text: `Question ${i}: ${code.slice(0, 400)}` });
    history.push({ role: "assistant", text: `Answer ${i}: ${code.slice(400, 800)}` });
  }
  const turn = await assembleTurn({ history, message: "And now?", attachments: [], contextSize: 1024, maxTokens: 256, count });
  assert.ok(turn.droppedMessages > 0 && turn.droppedMessages < history.length);
  assert.deepEqual(turn.history, history.slice(turn.droppedMessages));
  assert.equal(turn.history[0].role, "user");
  assert.equal(turn.history.at(-1)?.text, history.at(-1)?.text, "the newest turn is kept");
  assert.match(turn.notes.join("\n"), new RegExp(`oldest ${turn.droppedMessages} messages were left out`));
  assert.ok(turn.promptTokens <= 1024 - turn.reserve);
});

test("a message longer than the whole context is cut and noted", async () => {
  const turn = await assembleTurn({ history: [], message: code, attachments: [], contextSize: 512, maxTokens: 64, count });
  assert.ok(code.startsWith(turn.message) && turn.message.length < code.length);
  assert.match(turn.notes[0], /Your message was cut/);
});

test("ChatTurns: a follow-up continues the kept session; reopening a conversation restores its history", async () => {
  const turns = new ChatTurns(engine);
  const small: Attachment = { ...selection, endLine: 14, text: code.split("\n").slice(0, 5).join("\n") };
  const messages: StoredMessage[] = [];
  const streamed: string[] = [];
  const first = await turns.run({ conversationId: "a", messages, text: "Explain this.", attachments: [small], maxTokens: 16, onText: (t) => streamed.push(t) });
  assert.ok(first.result && first.assistant);
  assert.equal(streamed.join(""), first.assistant.text);
  assert.match(first.user.prompt ?? "", /^Selected code from src\/math\.ts:10-14/);
  assert.deepEqual(first.user.attachments, [{ kind: "selection", path: "src/math.ts", startLine: 10, endLine: 14 }]);
  messages.push(first.user, first.assistant);

  const followUp = await turns.run({ conversationId: "a", messages, text: "Shorter please.", maxTokens: 8 });
  assert.ok(followUp.result);
  const firstPrompt = first.result.stats.promptTokens;
  assert.ok(followUp.result.stats.reusedTokens >= firstPrompt, `follow-up reused ${followUp.result.stats.reusedTokens}, first prompt ${firstPrompt}`);
  assert.ok(followUp.result.stats.evaluatedTokens < followUp.result.stats.promptTokens / 2, `evaluated ${followUp.result.stats.evaluatedTokens} of ${followUp.result.stats.promptTokens}`);
  messages.push(followUp.user, followUp.assistant!);

  // Another conversation takes the chat sequence; going back to "a" sets its history into a new session.
  await turns.run({ conversationId: "b", messages: [], text: "Something else entirely.", maxTokens: 8 });
  const reopened = await turns.run({ conversationId: "a", messages, text: "Once more.", maxTokens: 8 });
  assert.ok(reopened.result && reopened.assistant);
  messages.push(reopened.user, reopened.assistant);
  const again = await turns.run({ conversationId: "a", messages, text: "And again.", maxTokens: 8 });
  assert.ok(again.result);
  assert.ok(again.result.stats.evaluatedTokens < again.result.stats.promptTokens / 2, `after reopening, a follow-up evaluated ${again.result.stats.evaluatedTokens} of ${again.result.stats.promptTokens}`);
  assert.deepEqual(modelHistory(messages).map((m) => m.role), ["user", "assistant", "user", "assistant", "user", "assistant"]);
});

test("ChatTurns: Stop keeps the partial answer, marked stopped", async () => {
  const controller = new AbortController();
  let pieces = 0;
  const outcome = await new ChatTurns(engine).run({
    conversationId: "stop",
    messages: [],
    text: "Talk for a long time.",
    maxTokens: 800,
    signal: controller.signal,
    onText: () => {
      if (++pieces === 5) controller.abort();
    },
  });
  assert.equal(outcome.stopped, true);
  assert.equal(outcome.assistant?.stopped, true);
  assert.ok((outcome.assistant?.text.length ?? 0) > 0);
  const next = await engine.chat({ conversationId: "other", history: [], message: "hi", maxTokens: 3 });
  assert.equal(next.stats.generatedTokens, 3, "the worker goes on after the stop");
});
