// A chat turn counts its prompt with the server's /tokenize before it asks: when the server fails there (it went
// down), the engine's status says the last request failed and why, as it does for a failed answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { tinyModelPath } from "../helpers/models";
import { startLlamaServer } from "../helpers/llamaServer";

test("a /tokenize that fails (the server went down) turns the status to error with the reason", async () => {
  const server = await startLlamaServer({ model: await tinyModelPath() });
  const engine = new RemoteEngine({ server: { url: server.url, kind: "llama-server" }, windowId: "test-window" });
  try {
    assert.ok((await engine.tokenize("const x = 1;")).count > 0);
    assert.equal(engine.status.state, "ready");
    await server.kill();
    await assert.rejects(engine.tokenize("const y = 2;"), { code: "server-unreachable" });
    assert.equal(engine.status.state, "error");
    assert.match(engine.status.message ?? "", /Could not connect to the server at 127\.0\.0\.1:\d+: connection refused/);
  } finally {
    await engine.dispose();
    await server.stop();
  }
});
