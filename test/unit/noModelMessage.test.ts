// With no model for a role, a request is told which setting and which command choose one, by their current
// names (freehold.completions.model, “Freehold: Choose Completion Model…”), never the replaced freehold.model.path.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { EngineClient } from "../../src/engine/client";
import { EngineError } from "../../src/engine/protocol";
import { noModelMessage, RoleEngines } from "../../src/models/roleEngines";

const roles: RoleEngines = new RoleEngines(() => new EngineClient({ workerPath: resolve("dist/worker.mjs"), noModelMessage: (): string => noModelMessage(roles.configured) }));
after(() => roles.dispose());

const infill = { infill: { prefix: "const x = ", suffix: "\n" }, maxTokens: 8 };

test("only a chat model configured: a completion names freehold.completions.model and the command that chooses it", async () => {
  roles.setModels({ chat: { path: "/models/instruct.gguf", contextSize: 1024, gpuLayers: 0 } });
  await assert.rejects(roles.completion.complete(infill), (error: unknown) => {
    assert.ok(error instanceof EngineError && error.code === "no-model", String(error));
    assert.match(error.message, /No completion model is configured/);
    assert.match(error.message, /freehold\.completions\.model/);
    assert.match(error.message, /“Freehold: Choose Completion Model…”/);
    assert.doesNotMatch(error.message, /freehold\.model\.path/);
    return true;
  });
});

test("no model at all: chat (served by the completion worker) is told the same setting and command", async () => {
  roles.setModels({});
  await assert.rejects(roles.chatEngine.chat({ conversationId: "none", history: [], message: "hi", maxTokens: 8 }), (error: unknown) => {
    assert.ok(error instanceof EngineError && error.code === "no-model", String(error));
    assert.match(error.message, /^No model is configured\. Choose one with “Freehold: Choose Completion Model…” \(setting freehold\.completions\.model; chat uses it too/);
    return true;
  });
});
