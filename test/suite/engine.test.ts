// Integration: the real extension in a real VS Code, its worker running the generated tiny model.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import { writeModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";
import { EngineError } from "../../src/engine/protocol";

const EXTENSION_ID = "freehold.freehold";

describe("Freehold engine in VS Code", function () {
  this.timeout(180_000);
  let api: FreeholdApi;
  let modelPath: string;

  before(async () => {
    modelPath = join(mkdtempSync(join(tmpdir(), "freehold-suite-")), "tiny.gguf");
    await writeModelFile(modelPath, "tiny", { seed: 1 });
  });

  after(async () => {
    await vscode.workspace.getConfiguration("freehold.model").update("path", undefined, vscode.ConfigurationTarget.Global);
    rmSync(dirname(modelPath), { recursive: true, force: true });
  });

  it("activates without starting the worker", async () => {
    const extension = vscode.extensions.getExtension<FreeholdApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(api.engine.workerPid, undefined, "the worker starts on first use, not at activation");
    const commands = await vscode.commands.getCommands(true);
    for (const command of ["freehold.showLog", "freehold.loadModel", "freehold.restartWorker", "freehold.newChat"]) {
      assert.ok(commands.includes(command), `command ${command} is registered`);
    }
  });

  it("starts the worker on the tiny model from the settings", async () => {
    await vscode.workspace.getConfiguration("freehold.model").update("path", modelPath, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("contextSize", 1024, vscode.ConfigurationTarget.Global);
    const info = await api.ensureModel();
    assert.equal(info.path, modelPath);
    assert.equal(info.architecture, "llama");
    assert.equal(info.infill, true);
    assert.equal(api.engine.status.state, "ready");
    assert.ok(api.engine.workerPid && api.engine.workerPid !== process.pid, "the model runs in a separate process");
  });

  it("streams a completion through the engine client", async () => {
    const tokens: string[] = [];
    const result = await api.engine.complete(
      { infill: { prefix: "function add(a, b) {\n  return ", suffix: "\n}\n" }, maxTokens: 24, timeLimitMs: 30_000 },
      { onEvent: (event) => tokens.push(event.text) },
    );
    assert.ok(result.stats.generatedTokens > 0, "tokens were generated");
    assert.ok(tokens.length > 1, `the completion streamed in pieces (${tokens.length})`);
    assert.equal(tokens.join(""), result.text);
    assert.ok(result.stats.promptTokens > 0);
    assert.ok(result.stats.ttftMs > 0 && result.stats.totalMs >= result.stats.ttftMs);
  });

  it("fails a request clearly when the worker is killed mid-request, and the next one succeeds on a new worker", async () => {
    const firstPid = api.engine.workerPid;
    assert.ok(firstPid);
    let killed = false;
    const doomed = api.engine.complete(
      { infill: { prefix: "const values = [", suffix: "];\n" }, maxTokens: 400, timeLimitMs: 60_000 },
      {
        onEvent: () => {
          if (!killed) {
            killed = true;
            process.kill(firstPid, "SIGKILL");
          }
        },
      },
    );
    await assert.rejects(doomed, (error: unknown) => {
      assert.ok(error instanceof EngineError || (error as { code?: string }).code, `an engine error, got ${String(error)}`);
      assert.equal((error as EngineError).code, "worker-died");
      assert.match((error as Error).message, /stopped unexpectedly/);
      return true;
    });
    assert.equal(killed, true);

    const result = await api.engine.complete({ infill: { prefix: "let total = ", suffix: ";\n" }, maxTokens: 8, timeLimitMs: 60_000 });
    assert.ok(result.stats.generatedTokens > 0);
    assert.ok(api.engine.workerPid && api.engine.workerPid !== firstPid, "a new worker process serves the next request");
    assert.equal(api.engine.status.state, "ready");
  });

  it("cancels a running completion through its signal", async () => {
    const controller = new AbortController();
    const request = api.engine.complete(
      { infill: { prefix: "const a = ", suffix: "" }, maxTokens: 400, timeLimitMs: 60_000 },
      { signal: controller.signal, onEvent: () => controller.abort() },
    );
    await assert.rejects(request, { code: "cancelled" });
    const after = await api.engine.complete({ infill: { prefix: "x = ", suffix: "" }, maxTokens: 4, timeLimitMs: 60_000 });
    assert.ok(after.stats.generatedTokens > 0, "the worker serves requests after a cancel");
  });
});
