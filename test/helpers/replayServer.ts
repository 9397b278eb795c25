// A small local HTTP server that replays recorded protocol exchanges (test/fixtures/remote/*.json) for the server
// kinds that cannot run here (Ollama, vLLM): each request is matched by method, path and a subset of its JSON
// body, answered with the fixture's JSON or its streamed lines (SSE or NDJSON, one write per line), and kept so a
// test can check the exact request form Freehold sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

export interface Exchange {
  request: { method: string; path: string; body?: Record<string, unknown> };
  response: { status?: number; type?: string; json?: unknown; lines?: string[] };
}

export interface Fixture {
  source: string;
  exchanges: Exchange[];
}

export interface SeenRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  headers: IncomingMessage["headers"];
  matched: boolean;
}

export function loadFixture(path: string): Fixture {
  return JSON.parse(readFileSync(path, "utf8")) as Fixture;
}

function matches(exchange: Exchange, method: string, path: string, body: Record<string, unknown> | undefined): boolean {
  if (exchange.request.method !== method || exchange.request.path !== path) return false;
  for (const [key, value] of Object.entries(exchange.request.body ?? {})) if (!isDeepStrictEqual(body?.[key], value)) return false;
  return true;
}

export async function startReplayServer(exchanges: Exchange[], host = "127.0.0.1"): Promise<{ url: string; requests: SeenRequest[]; close(): Promise<void> }> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const path = new URL(request.url ?? "/", "http://replay").pathname;
    const exchange = exchanges.find((e) => matches(e, request.method ?? "GET", path, body));
    requests.push({ method: request.method ?? "GET", path, body, headers: request.headers, matched: exchange !== undefined });
    if (!exchange) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: `no fixture for ${request.method} ${path}` }));
      return;
    }
    const { status = 200, type, json, lines } = exchange.response;
    if (lines) {
      response.writeHead(status, { "content-type": type ?? "text/event-stream" });
      for (const line of lines) {
        response.write(`${line}\n`);
        await new Promise((r) => setImmediate(r));
      }
      response.end();
      return;
    }
    response.writeHead(status, { "content-type": type ?? "application/json" });
    response.end(JSON.stringify(json));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
