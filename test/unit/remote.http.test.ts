// The remote engine's HTTP layer on its own: a request whose signal is already aborted (VS Code cancels a
// keystroke's token before the request leaves) rejects as cancelled and leaves no uncaught "socket hang up"
// behind — that error once escaped and failed the extension host's tests — and a stop from the line reader
// ends a streaming request at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { agentFor, httpCall } from "../../src/engine/remote/http";

test("an already-aborted request rejects as cancelled and nothing is thrown later", async () => {
  const server = createServer((_request, response) => response.end("{}"));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  const base = new URL(`http://127.0.0.1:${port}`);
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(httpCall({ base, connectTimeoutMs: 1000, stallTimeoutMs: 1000 }, agentFor(base), { method: "GET", path: "/props", signal: controller.signal }), { code: "cancelled" });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(uncaught, [], "no error escaped");
  } finally {
    process.off("uncaughtException", onUncaught);
    server.close();
  }
});

test("a line reader's stop ends a streaming request and resolves", async () => {
  let closed!: () => void;
  const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    const timer = setInterval(() => response.write('data: {"content":"x"}\n\n'), 20);
    request.socket.on("close", () => {
      clearInterval(timer);
      closed();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const base = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  let lines = 0;
  await httpCall({ base, connectTimeoutMs: 1000, stallTimeoutMs: 5000 }, agentFor(base), { method: "POST", path: "/completion", body: {}, onLine: (line) => (line.startsWith("data:") && ++lines === 3 ? "stop" : undefined) });
  assert.equal(lines, 3);
  await serverSawClose;
  server.close();
});
