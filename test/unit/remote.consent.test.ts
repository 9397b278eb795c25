// Before the first request to a server that is not on this machine, the remote engine asks (the editor shows "Send
// code to host X?"): declined, nothing is sent and the error says so; accepted, it is asked once, not per request.
// Loopback servers are not asked about. The server here listens on this machine's own network address, so the
// connection is a real non-loopback one that never leaves the machine.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { RemoteEngine } from "../../src/engine/remote/remoteEngine";
import { isLoopbackHost } from "../../src/engine/remote/serverConfig";
import { EngineError } from "../../src/engine/protocol";
import { loadFixture, startReplayServer } from "../helpers/replayServer";

const address = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
let replay: Awaited<ReturnType<typeof startReplayServer>>;
const engines: RemoteEngine[] = [];

before(async () => {
  assert.ok(address, "this machine has a non-loopback IPv4 address");
  replay = await startReplayServer(loadFixture(resolve("test/fixtures/remote/openai.json")).exchanges, address);
});
after(async () => {
  await Promise.all(engines.map((e) => e.dispose()));
  await replay.close();
});

function engine(url: string, consent: (host: string) => Promise<boolean>): RemoteEngine {
  const e = new RemoteEngine({ server: { url, kind: "openai", model: "Qwen/Qwen2.5-Coder-7B-Instruct" }, consent });
  engines.push(e);
  return e;
}

test("declined: nothing is sent, and the error names the server", async () => {
  const asked: string[] = [];
  const e = engine(replay.url, async (host) => (asked.push(host), false));
  await assert.rejects(e.chat({ conversationId: "c", history: [], message: "hi", maxTokens: 4 }), (error: unknown) => {
    assert.ok(error instanceof EngineError && error.code === "not-allowed");
    assert.match(error.message, new RegExp(`did not send anything to ${address!.replace(/\./g, "\\.")}:\\d+`));
    return true;
  });
  assert.deepEqual(asked, [new URL(replay.url).host]);
  assert.equal(replay.requests.length, 0, "no request reached the server");
});

test("accepted: asked once for all requests", async () => {
  let asked = 0;
  const e = engine(replay.url, async () => (asked++, true));
  const first = await e.chat({ conversationId: "c", history: [], message: "hi", maxTokens: 4 });
  const second = await e.chat({ conversationId: "c", history: [], message: "again", maxTokens: 4 });
  assert.equal(first.text, "Use `a + b`.");
  assert.equal(second.text, "Use `a + b`.");
  assert.equal(asked, 1);
});

test("loopback servers are not asked about; other hosts are", async () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ["192.0.2.2", "gpu-box", "10.0.0.7", "fd00::2", "localhost.example.com"]) assert.equal(isLoopbackHost(host), false, host);
  const local = await startReplayServer(loadFixture(resolve("test/fixtures/remote/openai.json")).exchanges);
  try {
    let asked = 0;
    const e = engine(local.url, async () => (asked++, false));
    await e.ensureModel();
    assert.equal(asked, 0);
  } finally {
    await local.close();
  }
});
