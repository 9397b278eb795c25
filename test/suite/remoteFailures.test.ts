// Integration (issue 16): a team's llama-server that dies or hangs while Freehold's chat uses it, in a real VS
// Code. A real llama.cpp llama-server serves a scripted chat model whose answer is 1,500 lines, one token each, so
// the answer is still streaming when the test acts on its first chunk:
//   - killed (SIGKILL) mid-answer: the request fails at once with "the connection was lost"; the chat panel, asked
//     while the server is down, shows its question marked failed with "connection refused" (nothing hangs); after
//     the server is started again on the same port, the next question gets the whole answer;
//   - stalled (SIGSTOP mid-answer: the kernel still accepts connections, the process answers nothing): the answer,
//     and a question asked in the panel meanwhile, fail after the stall timeout with a message that says so; once
//     the server runs again (SIGCONT), the next question is answered.
// Chat is pointed at the server by `freehold.chat.server`; the default stall timeout (30 s) is what the user gets,
// so the stall case waits for it.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { FreeholdApi } from "../../src/extension";
import { DEFAULT_SERVER_TIMEOUTS } from "../../src/engine/remote/serverConfig";
import { scriptedModelPath } from "../helpers/models";
import { startLlamaServer, type RunningLlamaServer } from "../helpers/llamaServer";

// The same script (and so the same generated file) as test/unit/roleEngines.test.ts's long answer.
const LINES = 1500;
const CHAT_SCRIPT = Array.from({ length: LINES }, (_, i) => `line ${i} of a long answer`).join("\n");

describe("A team's llama-server that is killed or stalls while chat uses it", function () {
  this.timeout(300_000);
  let api: FreeholdApi;
  let model: string;
  let server: RunningLlamaServer;
  let port: number;

  const chatSettings = () => vscode.workspace.getConfiguration("freehold.chat");
  const start = async () => {
    server = await startLlamaServer({ model, contextPerSlot: 2048, ...(port ? { port } : {}) });
    port = server.port;
  };

  /** Asks a question in the chat panel as Explain does; returns the conversation's last message once the turn ended. */
  async function askInPanel(prompt: string) {
    await api.chat.ask({ prompt });
    const last = api.chat.activeConversation?.messages.at(-1);
    assert.ok(last, "the panel's conversation has the turn");
    return last;
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    model = await scriptedModelPath("roles-long-chat", CHAT_SCRIPT, { family: "none" });
    await start();
    // Room for the whole answer (the default is 1,024 tokens); user settings, restored after.
    await chatSettings().update("maxTokens", LINES + 100, vscode.ConfigurationTarget.Global);
    await chatSettings().update("server", { url: server.url, kind: "llama-server" }, vscode.ConfigurationTarget.Global);
    await until(() => api.roles.chatServing.kind === "remote", "chat follows freehold.chat.server");
  });

  after(async () => {
    await chatSettings().update("server", undefined, vscode.ConfigurationTarget.Global);
    await chatSettings().update("maxTokens", undefined, vscode.ConfigurationTarget.Global);
    await server?.stop();
  });

  it("killed mid-answer: a clear error at once, the panel says the server is down, and after a restart the next question is answered", async () => {
    let chunks = 0;
    let killed: Promise<void> | undefined;
    const doomed = api.roles.chatEngine.chat(
      { conversationId: "killed", history: [], message: "Tell me everything, line by line.", maxTokens: LINES + 100 },
      {
        onEvent: () => {
          chunks++;
          killed ??= server.kill();
        },
      },
    );
    await assert.rejects(doomed, (error: unknown) => {
      // The extension's EngineError (another bundle's class than this suite's): its code says what failed.
      assert.ok(error instanceof Error, String(error));
      assert.equal((error as Error & { code?: string }).code, "server-error");
      assert.match(error.message, new RegExp(`connection to the server at 127\\.0\\.0\\.1:${port} was lost`));
      assert.match(error.message, /Nothing was retried/);
      return true;
    });
    assert.ok(killed && chunks >= 1, `the server was killed while the answer streamed (after ${chunks} chunk(s))`);
    await killed;

    const down = await askInPanel("Are you there?");
    assert.equal(down.role, "user", "the question is kept");
    assert.match(down.failed ?? "", new RegExp(`Could not connect to the server at 127\\.0\\.0\\.1:${port}: connection refused`), "marked failed, saying why");
    assert.match(api.statusText().tooltip, /connection refused/, "the status tooltip says why the question failed");

    await start();
    const answer = await askInPanel("Tell me everything again.");
    assert.equal(answer.role, "assistant");
    assert.equal(answer.failed, undefined);
    assert.equal(answer.text, CHAT_SCRIPT, "the restarted server's whole answer");
  });

  it("stalled mid-answer: the answer and a question asked in the panel meanwhile fail after the stall timeout, saying so; once the server runs again the next one is answered", async () => {
    const pid = server.child.pid!;
    const seconds = DEFAULT_SERVER_TIMEOUTS.stallTimeoutMs / 1000;
    let stopped = false;
    let chunks = 0;
    const stalledChat = api.roles.chatEngine.chat(
      { conversationId: "stalled", history: [], message: "Tell me everything, line by line.", maxTokens: LINES + 100 },
      {
        onEvent: () => {
          chunks++;
          if (!stopped) process.kill(pid, "SIGSTOP");
          stopped = true;
        },
      },
    );
    const answerFailed = assert.rejects(stalledChat, (error: unknown) => {
      assert.ok(error instanceof Error, String(error));
      assert.equal((error as Error & { code?: string }).code, "timeout");
      assert.match(error.message, new RegExp(`The server at 127\\.0\\.0\\.1:${port} sent nothing for ${seconds} s \\(POST /v1/chat/completions\\)`));
      return true;
    });
    try {
      await until(() => stopped, "the answer started streaming and the server was stopped");
      // The kernel still accepts the panel's connection; the stopped server answers nothing.
      const started = Date.now();
      const question = await askInPanel("Are you stuck?");
      const waited = Date.now() - started;
      await answerFailed;
      assert.ok(chunks >= 1, "the answer had started");
      assert.equal(question.role, "user", "the question is kept");
      assert.match(question.failed ?? "", new RegExp(`The server at 127\\.0\\.0\\.1:${port} sent nothing for ${seconds} s .*Is it overloaded or stuck\\?`), "marked failed, saying why");
      assert.ok(waited >= DEFAULT_SERVER_TIMEOUTS.stallTimeoutMs - 1000, `the panel's question waited for the stall timeout (${waited} ms)`);
      assert.match(api.statusText().tooltip, /sent nothing for/, "the status tooltip says why the last request failed");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const answer = await askInPanel("Tell me everything once more.");
    assert.equal(answer.role, "assistant");
    assert.equal(answer.failed, undefined);
    assert.equal(answer.text, CHAT_SCRIPT);
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
