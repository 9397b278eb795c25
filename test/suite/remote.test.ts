// Integration (issue 16): a team's llama-server as the engine, in a real VS Code. A real llama.cpp llama-server
// (scripts/build-llama-server.mjs) serves a scripted model whose every answer is "a + b;"; the local worker gets
// a scripted model answering "a * b;", so each ghost text says which engine produced it. Ghost text and a chat
// answer come through the server; the status bar says "remote · host"; completions switch between the local
// worker and the server by settings alone, without a reload; a wrong URL gives a clear message.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { FreeholdApi } from "../../src/extension";
import { scriptedModelPath } from "../helpers/models";
import { freePort, startLlamaServer, type RunningLlamaServer } from "../helpers/llamaServer";

const REMOTE_SCRIPT = "a + b;";
const LOCAL_SCRIPT = "a * b;";

describe("A team's llama-server as the engine", function () {
  this.timeout(240_000);
  let api: FreeholdApi;
  let server: RunningLlamaServer;
  let localModel: string;

  const completions = () => vscode.workspace.getConfiguration("freehold.completions");
  const setServer = async (value: unknown) => {
    await completions().update("server", value, vscode.ConfigurationTarget.Global);
    const wantRemote = typeof value === "object" && value !== null;
    await until(() => (api.roles.completionEngine.kind === "remote") === wantRemote, "the completion engine follows the setting");
  };

  async function ghostText(): Promise<string | undefined> {
    const document = await vscode.workspace.openTextDocument({ language: "typescript", content: "export function add(a: number, b: number): number {\n  return \n}\n" });
    const editor = await vscode.window.showTextDocument(document);
    const position = new vscode.Position(1, 9);
    editor.selection = new vscode.Selection(position, position);
    api.completions.pipeline.cache.clear();
    const list = await api.completions.provider.provideInlineCompletionItems(
      document,
      position,
      { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
      new vscode.CancellationTokenSource().token,
    );
    const text = list?.items[0]?.insertText;
    return typeof text === "string" ? text : undefined;
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    const remoteModel = await scriptedModelPath("suite-remote", REMOTE_SCRIPT);
    localModel = await scriptedModelPath("suite-local", LOCAL_SCRIPT);
    server = await startLlamaServer({ model: remoteModel });
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await completions().update("server", undefined, vscode.ConfigurationTarget.Global);
    await completions().update("model", undefined, vscode.ConfigurationTarget.Global);
    await server?.stop();
  });

  it("ghost text and a chat answer come from llama-server; the status bar says remote · host", async () => {
    await setServer({ url: server.url, kind: "llama-server" });
    const localCalls = api.roles.completion.requestCounts.complete ?? 0;
    assert.equal(await ghostText(), REMOTE_SCRIPT);
    assert.equal(api.roles.completion.requestCounts.complete ?? 0, localCalls, "the local worker was not asked");
    const host = new URL(server.url).host;
    await until(() => api.statusText().text.includes(`remote · ${host}`), "the status bar names the server");
    // Ghost text is shown while the request still streams: its time is in the tooltip once it has ended.
    await until(() => /Last server request: \d+ ms/.test(api.statusText().tooltip), "the tooltip has the server request's time");
    const { tooltip } = api.statusText();
    assert.match(tooltip, new RegExp(`on the llama-server server ${server.url.replace(/[.]/g, "\\.")}`));
    assert.match(tooltip, /Server model: .*suite-remote/);

    // Chat has no model of its own, so it follows completions to the server.
    assert.equal(api.roles.chatEngine.model?.path, api.roles.completionEngine.model?.path);
    await api.chat.ask({ prompt: "What is the sum of a and b?" });
    const answer = api.chat.activeConversation?.messages.at(-1);
    assert.equal(answer?.role, "assistant");
    assert.equal(answer?.text, REMOTE_SCRIPT);
  });

  it("completions switch between the local worker and the server without a reload", async () => {
    await completions().update("model", localModel, vscode.ConfigurationTarget.Global);
    await setServer("local");
    assert.equal(await ghostText(), LOCAL_SCRIPT, "the local worker's model");
    assert.ok(api.engine.workerPid, "a local worker serves it");
    await setServer({ url: server.url, kind: "llama-server" });
    assert.equal(await ghostText(), REMOTE_SCRIPT, "the server's model");
    await setServer("local");
    assert.equal(await ghostText(), LOCAL_SCRIPT, "the local worker's model again");
  });

  it("a wrong server URL gives no ghost text and a clear message in the status bar", async () => {
    const port = await freePort();
    await setServer({ url: `http://127.0.0.1:${port}`, kind: "llama-server" });
    assert.equal(await ghostText(), undefined);
    await until(() => /connection refused/.test(api.statusText().tooltip), "the status tooltip says why");
    assert.match(api.statusText().tooltip, new RegExp(`Could not connect to the server at 127\\.0\\.0\\.1:${port}`));
    assert.match(api.statusText().text, /error · remote/);
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
