// Integration (issue 10): typing while a chat answer streams. The chat answer and the keystroke completion share
// one worker; the keystroke must get its ghost text while the answer is still streaming, the answer must complete,
// and the worker must not be restarted on the way. (This file sorts after engine.test.ts, whose first test needs a
// host that has not started a worker yet.)
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { writeModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";
import { typeAtEndAndAsk } from "./support/typeAndAsk";

/** As long as the 1,024-token context leaves room for. */
const ANSWER_TOKENS = 900;

describe("Typing while a chat answer streams", function () {
  this.timeout(300_000);
  let api: FreeholdApi;
  let modelPath: string;

  before(async () => {
    modelPath = join(mkdtempSync(join(tmpdir(), "freehold-suite-typing-")), "tiny.gguf");
    await writeModelFile(modelPath, "tiny", { seed: 1 });
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    await vscode.workspace.getConfiguration("freehold.model").update("path", modelPath, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("contextSize", 1024, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.getConfiguration("freehold.model").update("path", undefined, vscode.ConfigurationTarget.Global);
    rmSync(dirname(modelPath), { recursive: true, force: true });
  });

  it("a keystroke gets ghost text beside the streaming answer; the answer completes; same worker", async () => {
    await api.ensureModel();
    const pid = api.engine.workerPid;
    const forks = api.engine.forks;
    assert.ok(pid);

    // A keystroke first, so the context engine (tree-sitter) is loaded before the answer starts: the tiny model
    // streams about a thousand tokens a second on one thread, and the keystroke must come while it streams.
    await typeAtEndAndAsk(api, "export function first(values: number[]): number {\n", "  return ");
    let chatTokens = 0;
    let firstToken!: () => void;
    const streaming = new Promise<void>((resolve) => (firstToken = resolve));
    const answer = api.engine.chat(
      { conversationId: "typing-during-chat", history: [], message: "Explain how a hash map works, in detail.", maxTokens: ANSWER_TOKENS, timeLimitMs: 240_000 },
      {
        onEvent: () => {
          chatTokens++;
          firstToken();
        },
      },
    );
    await streaming;

    const { items } = await typeAtEndAndAsk(api, "export function total(values: number[]): number {\n  let sum = 0;\n", "  const average = ");
    const ghost = items[0]?.insertText;
    assert.ok(typeof ghost === "string" && ghost.length > 0, `ghost text for the keystroke (got ${JSON.stringify(ghost)})`);
    const tokensAtGhostText = chatTokens;

    const result = await answer;
    assert.equal(result.stopReason, "max-tokens", "the chat answer completed");
    assert.ok(tokensAtGhostText < ANSWER_TOKENS, `the ghost text came while the answer streamed (${tokensAtGhostText} of ${ANSWER_TOKENS} tokens)`);
    assert.equal(api.engine.workerPid, pid, "the worker pid is unchanged");
    assert.equal(api.engine.forks, forks, "no worker was forked");
  });
});
