// Integration (issue 14): two models by role in a real VS Code. A scripted FIM model serves completions and a
// scripted instruct model (no FIM tokens, a chat template) serves chat, each in its own worker. A keystroke's
// completion is asked for while the chat answer streams, and overlap is proven from the stream itself: chat
// tokens arrived before the completion was asked for AND after it came back, and the answer had not ended when
// the ghost text was there. Both texts are exact. The chat script is 500 lines, one token each: with 1,500 the
// ghost text came after chunk 8 here under load, so the margin does not rest on the machine's speed.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { writeScriptedModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";
import { typeAtEndAndAsk } from "./support/typeAndAsk";

const COMPLETION = "a + b;";
const CHAT_LINES = 500;
const CHAT_SCRIPT = Array.from({ length: CHAT_LINES }, (_, i) => `Step ${i + 1}: add the next pair of numbers`).join("\n");

describe("Two models by role: ghost text from the FIM model while the chat model's answer streams", function () {
  this.timeout(300_000);
  let api: FreeholdApi;
  let folder: string;
  let workspaceContextSize: number | undefined;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "freehold-suite-roles-"));
    const fimModel = join(folder, "scripted-fim.gguf");
    const chatModel = join(folder, "scripted-chat.gguf");
    await writeScriptedModelFile(fimModel, COMPLETION);
    await writeScriptedModelFile(chatModel, CHAT_SCRIPT, { family: "none" });
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    // The chat answer needs room for its 500 tokens; the test workspace's settings say 1,024 (restored after).
    const model = vscode.workspace.getConfiguration("freehold.model");
    workspaceContextSize = model.inspect<number>("contextSize")?.workspaceValue;
    await model.update("contextSize", 4096, vscode.ConfigurationTarget.Workspace);
    // The role settings are machine-scoped: user settings.
    await vscode.workspace.getConfiguration("freehold.completions").update("model", fimModel, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.chat").update("model", chatModel, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.getConfiguration("freehold.chat").update("model", undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.completions").update("model", undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("contextSize", workspaceContextSize, vscode.ConfigurationTarget.Workspace);
    rmSync(folder, { recursive: true, force: true });
  });

  it("the keystroke's ghost text is exactly the FIM script while the chat answer, exactly the chat script, is still streaming", async () => {
    const roles = api.roles;
    const deadline = Date.now() + 20_000;
    while (!roles.separate && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(roles.separate, true, "chat has a worker of its own once the settings name two files");
    const [completionModel, chatModel] = await Promise.all([roles.completion.ensureModel(), roles.chatEngine.ensureModel()]);
    assert.match(completionModel.path, /scripted-fim\.gguf$/);
    assert.match(chatModel.path, /scripted-chat\.gguf$/);
    assert.equal(completionModel.infill, true, "the completion model has FIM tokens");
    assert.equal(chatModel.infill, false, "the chat model has none");
    assert.ok(roles.completion.workerPid && roles.chat.workerPid && roles.completion.workerPid !== roles.chat.workerPid, "two workers");
    const completionsBefore = roles.completion.requestCounts.complete ?? 0;
    const chatCompletionsBefore = roles.chat.requestCounts.complete ?? 0;

    let streamed = "";
    let chunks = 0;
    let answerEnded = false;
    let firstChunk!: () => void;
    const streaming = new Promise<void>((resolve) => (firstChunk = resolve));
    const answer = roles.chatEngine
      .chat(
        { conversationId: "roles-overlap", history: [], message: "How do I add a list of numbers, step by step?", maxTokens: CHAT_LINES + 50, timeLimitMs: 240_000 },
        {
          onEvent: (event) => {
            streamed += event.text;
            chunks++;
            firstChunk();
          },
        },
      )
      .finally(() => (answerEnded = true));
    await streaming;
    const chunksBeforeAsking = chunks;

    // The keystroke: "  return " typed at the end of the function's first line, and the inline provider asked.
    const { position, items } = await typeAtEndAndAsk(api, "export function add(a: number, b: number): number {\n", "  return ");
    const chunksAtGhostText = chunks;
    const streamedAtGhostText = streamed;
    const endedAtGhostText = answerEnded;
    const item = items[0];
    assert.equal(item?.insertText, COMPLETION, "the ghost text is exactly the FIM model's script");
    assert.ok(item?.range?.isEmpty && item.range.start.isEqual(position), "inserted at the cursor, replacing nothing");

    const result = await answer;
    assert.equal(result.text, CHAT_SCRIPT, "the chat answer is exactly the chat model's script");
    assert.equal(streamed, CHAT_SCRIPT, "the streamed chunks make up exactly the script");
    assert.equal(result.stopReason, "eog", "the answer ended where the script ends");

    // Overlap, from the stream itself.
    assert.ok(chunksBeforeAsking > 0, "chat tokens arrived before the completion was asked for");
    assert.equal(endedAtGhostText, false, "the chat answer had not ended when the ghost text came");
    assert.ok(chunks > chunksAtGhostText, `chat tokens arrived after the ghost text came (${chunksAtGhostText} before, ${chunks} in all)`);
    assert.ok(CHAT_SCRIPT.startsWith(streamedAtGhostText) && streamedAtGhostText.length < CHAT_SCRIPT.length, "at the ghost text, the answer so far was a strict prefix of the script");
    console.log(`      (ghost text after chat chunk ${chunksAtGhostText} of ${chunks})`);

    // Each role's request went to its own worker.
    assert.ok((roles.completion.requestCounts.complete ?? 0) > completionsBefore, "the completion worker answered the keystroke");
    assert.equal(roles.chat.requestCounts.complete ?? 0, chatCompletionsBefore, "the chat worker answered no completion");
  });

  it("with only a chat model, a completion is told to choose freehold.completions.model with “Choose Completion Model…”", async () => {
    await vscode.workspace.getConfiguration("freehold.completions").update("model", undefined, vscode.ConfigurationTarget.Global);
    const deadline = Date.now() + 20_000;
    while (api.roles.configured.completion && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(api.roles.configured.completion, undefined, "no completion model once the setting is cleared");
    assert.ok(api.roles.configured.chat, "the chat model is still configured");
    await assert.rejects(api.engine.complete({ infill: { prefix: "const x = ", suffix: "\n" }, maxTokens: 8 }), (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      assert.match(message, /No completion model is configured/);
      assert.match(message, /freehold\.completions\.model/);
      assert.match(message, /“Freehold: Choose Completion Model…”/);
      assert.doesNotMatch(message, /freehold\.model\.path/);
      return true;
    });
  });
});
