// Two models by role: a worker per role on the engine client's public API, with scripted models (exact output)
// through real workers. Completions and chat answer at the same time from their own models; one file for both
// roles is loaded once; a chat model deleted while loaded, or failing to load, leaves completions alone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { EngineError, type LoadModelParams } from "../../src/engine/protocol";
import { RoleEngines, roleProblem, sameModelFile } from "../../src/models/roleEngines";
import { scriptedModelPath } from "../helpers/models";

const FIM_SCRIPT = "a + b;";
const CHAT_SCRIPT = "## Sum\n\n```ts\nconst sum = a + b;\n```\n";
const workerPath = resolve("dist/worker.mjs");
let fimModel: string;
let chatModel: string;
let scratch: string;
let roles: RoleEngines;

const params = (path: string): LoadModelParams => ({ path, contextSize: 1024, gpuLayers: 0, threads: 1 });
const infill = { infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 30 };
const ask = (message: string) => roles.chatEngine.chat({ conversationId: "roles", history: [], message, maxTokens: 200 });

before(async () => {
  assert.ok(existsSync(workerPath), "dist/worker.mjs exists (npm run build)");
  fimModel = await scriptedModelPath("roles-fim", FIM_SCRIPT);
  chatModel = await scriptedModelPath("roles-chat", CHAT_SCRIPT, { family: "none" });
  scratch = await mkdtemp(join(tmpdir(), "freehold-roles-"));
  roles = new RoleEngines(() => new EngineClient({ workerPath, backoffMs: [0, 100] }));
});
after(async () => {
  await roles?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

test("each role answers from its own model in its own worker, both at once and exactly", async () => {
  roles.setModels({ completion: params(fimModel), chat: params(chatModel) });
  assert.equal(roles.separate, true);
  const [completion, answer] = await Promise.all([roles.completion.complete(infill), ask("What is the sum?")]);
  assert.equal(completion.text, FIM_SCRIPT);
  assert.equal(answer.text, CHAT_SCRIPT);
  assert.equal(roles.completion.model?.path, fimModel);
  assert.equal(roles.chatEngine.model?.path, chatModel);
  assert.equal(roles.chatEngine.model?.infill, false, "the chat model has no FIM tokens");
  assert.equal(roles.chatEngine.model?.chatTemplate, true, "the worker reports the chat template");
  assert.ok(roles.completion.workerPid && roles.chat.workerPid && roles.completion.workerPid !== roles.chat.workerPid, "two workers");
  // Completions keep their KV state while chat runs: the same prompt again reuses its whole cache.
  const again = await roles.completion.complete(infill);
  assert.equal(again.text, FIM_SCRIPT);
  assert.equal(again.stats.reusedTokens, again.stats.promptTokens - 1, "all but the last prompt token came from the cache");
});

test("the same file for both roles is loaded once: chat is served by the completion worker", async () => {
  const chatWorker = roles.chat.workerPid;
  roles.setModels({ completion: params(fimModel), chat: params(fimModel) });
  assert.equal(roles.separate, false);
  assert.equal(roles.clients().length, 1);
  assert.equal((await ask("anything")).text, FIM_SCRIPT, "chat now answers from the shared (FIM) model");
  assert.equal(roles.chat, roles.completion);
  // The chat worker that is no longer needed went away.
  await new Promise((r) => setTimeout(r, 500));
  assert.throws(() => process.kill(chatWorker!, 0), "the former chat worker exited");
  // And no chat model at all means the same.
  roles.setModels({ completion: params(fimModel) });
  assert.equal(roles.separate, false);
  assert.equal((await ask("again")).text, FIM_SCRIPT);
});

test("a chat model deleted while loaded keeps answering; once unloaded it fails clearly and completions go on", async () => {
  const copy = join(scratch, "chat-copy.gguf");
  await copyFile(chatModel, copy);
  roles.setModels({ completion: params(fimModel), chat: params(copy) });
  assert.equal((await ask("first")).text, CHAT_SCRIPT);
  await rm(copy);
  assert.equal((await ask("after the delete")).text, CHAT_SCRIPT, "the loaded model still answers");
  await roles.chat.stopWorker(); // as the idle unload does
  await assert.rejects(ask("after the unload"), (error: unknown) => error instanceof EngineError && /chat-copy\.gguf/.test(error.message));
  assert.equal((await roles.completion.complete(infill)).text, FIM_SCRIPT, "completions are unaffected");
});

test("switching chat to the completion model during a streaming answer ends that answer with an error, and the next is answered", async () => {
  // A long script: the answer is still streaming when the switch comes (it is made right after the first token).
  const long = Array.from({ length: 1500 }, (_, i) => `line ${i} of a long answer`).join("\n");
  const longModel = await scriptedModelPath("roles-long-chat", long, { family: "none" });
  roles.setModels({ completion: params(fimModel), chat: params(longModel) });
  await roles.chatEngine.ensureModel();
  let firstToken: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstToken = resolve));
  const streaming = roles.chatEngine.chat({ conversationId: "long", history: [], message: "tell me everything", maxTokens: 4000 }, { onEvent: () => firstToken() });
  const outcome = streaming.then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await started;
  roles.setModels({ completion: params(fimModel) });
  const ended = await outcome;
  assert.equal(ended.ok, false, "the answer of the stopped chat worker does not complete");
  assert.ok(!ended.ok && ended.error instanceof EngineError, `an EngineError: ${!ended.ok ? String(ended.error) : ""}`);
  console.log(`      (the stopped answer: ${ended.error instanceof Error ? ended.error.message : ""})`);
  assert.equal((await ask("and now?")).text, FIM_SCRIPT, "the next question is answered by the completion model");
});

test("a role's problem with its model: no FIM tokens for completions is an error, no chat template for chat a warning", () => {
  assert.equal(roleProblem("completion", { name: "chat.gguf", fim: false, chatTemplate: true })?.level, "error");
  assert.match(roleProblem("completion", { name: "chat.gguf", fim: false, chatTemplate: true })!.message, /chat\.gguf has no fill-in-the-middle tokens/);
  assert.equal(roleProblem("chat", { name: "base.gguf", fim: true, chatTemplate: false })?.level, "warning");
  assert.equal(roleProblem("chat", { name: "chat.gguf", fim: false, chatTemplate: true }), undefined);
  assert.equal(roleProblem("completion", { name: "base.gguf", fim: true, chatTemplate: false }), undefined);
  assert.ok(sameModelFile(params("/m/a.gguf"), params("/m/../m/a.gguf")));
  assert.ok(!sameModelFile(params("/m/a.gguf"), undefined));
});
