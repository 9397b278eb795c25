// Switching a role's model while a chat answer streams (issue 14, bad input), with scripted models through real
// workers: the switch is made right after the answer's first token. Switching the completion model leaves the
// chat answer alone (it completes exactly, on the same worker) and the next completion comes from the new model;
// switching the chat model to another file does not cut the streaming answer (it completes exactly from the
// model that started it) and the next question is answered by the new model. (Switching chat to the completion
// model mid-answer: roleEngines.test.ts.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import type { LoadModelParams } from "../../src/engine/protocol";
import { RoleEngines } from "../../src/models/roleEngines";
import { scriptedModelPath } from "../helpers/models";

const LONG = Array.from({ length: 400 }, (_, i) => `switch line ${i} of a long answer`).join("\n");
const workerPath = resolve("dist/worker.mjs");
const params = (path: string): LoadModelParams => ({ path, contextSize: 1024, gpuLayers: 0, threads: 1 });
const infill = { infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 30 };
let models: { fimA: string; fimB: string; long: string; other: string };
let roles: RoleEngines;

before(async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  models = {
    fimA: await scriptedModelPath("switch-fim-a", "a + b;"),
    fimB: await scriptedModelPath("switch-fim-b", "b + a;"),
    long: await scriptedModelPath("switch-long-chat", LONG, { family: "none" }),
    other: await scriptedModelPath("switch-other-chat", "## Other\n\nanswer from the new chat model\n", { family: "none" }),
  };
  roles = new RoleEngines(() => new EngineClient({ workerPath, backoffMs: [0, 100] }));
});
after(() => roles?.dispose());

/** Starts a long answer and resolves once its first token is in, with the answer's outcome still to come. */
async function streamingAnswer(conversationId: string): Promise<{ ended: () => boolean; outcome: Promise<{ ok: true; text: string } | { ok: false; error: unknown }> }> {
  let firstToken: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstToken = resolve));
  let done = false;
  const outcome = roles.chatEngine
    .chat({ conversationId, history: [], message: "tell me everything", maxTokens: 1000 }, { onEvent: () => firstToken() })
    .then(
      (result) => ({ ok: true as const, text: result.text }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    .finally(() => (done = true));
  await started;
  return { ended: () => done, outcome };
}

test("switching the completion model while a chat answer streams: the answer completes exactly on its worker; completions come from the new model", async () => {
  roles.setModels({ completion: params(models.fimA), chat: params(models.long) });
  assert.equal((await roles.completion.complete(infill)).text, "a + b;");
  await roles.chatEngine.ensureModel();
  const chatPid = roles.chat.workerPid;
  const answer = await streamingAnswer("switch-completion");
  assert.equal(answer.ended(), false, "the answer is streaming when the switch comes");
  roles.setModels({ completion: params(models.fimB), chat: params(models.long) });
  assert.equal((await roles.completion.complete(infill)).text, "b + a;", "the next completion is the new model's");
  const ended = await answer.outcome;
  assert.ok(ended.ok, `the answer completed (${!ended.ok ? String(ended.error) : ""})`);
  assert.equal(ended.text, LONG, "exactly, from the chat model");
  assert.equal(roles.chat.workerPid, chatPid, "the chat worker was not restarted");
});

test("switching the chat model to another file while its answer streams: the answer completes exactly; the next question gets the new model", async () => {
  roles.setModels({ completion: params(models.fimA), chat: params(models.long) });
  await roles.chatEngine.ensureModel();
  const answer = await streamingAnswer("switch-chat");
  assert.equal(answer.ended(), false, "the answer is streaming when the switch comes");
  roles.setModels({ completion: params(models.fimA), chat: params(models.other) });
  const ended = await answer.outcome;
  assert.ok(ended.ok, `the answer completed (${!ended.ok ? String(ended.error) : ""})`);
  assert.equal(ended.text, LONG, "exactly, from the model that started it");
  const next = await roles.chatEngine.chat({ conversationId: "switch-chat-next", history: [], message: "and now?", maxTokens: 100 });
  assert.equal(next.text, "## Other\n\nanswer from the new chat model\n");
  assert.equal(roles.chatEngine.model?.path, models.other);
  assert.equal((await roles.completion.complete(infill)).text, "a + b;", "completions are unaffected");
});
