// HTTP for the remote engine, on node:http(s) rather than fetch so that the two waits a user cares about are
// separate and say what happened: the connect timeout (the TCP/TLS connection, per new socket) and the stall
// timeout (no byte from the server for that long, counted from the moment the request was sent, reset by every
// byte). Cancelling aborts the request (the server sees the connection close and stops generating). Nothing is
// retried: every failure becomes one EngineError with a message that names the server.
import * as http from "node:http";
import * as https from "node:https";
import { StringDecoder } from "node:string_decoder";
import { EngineError } from "../protocol";

export interface HttpEndpoint {
  /** The server's base URL (path prefix kept: `http://box:8080/v1` style proxies work). */
  base: URL;
  apiKey?: string;
  connectTimeoutMs: number;
  stallTimeoutMs: number;
}

export interface HttpCall {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  /** A streamed body: called with each line (without the newline); return "stop" to end the request early. */
  onLine?: (line: string) => "stop" | void;
}

/**
 * One connection per request. Keep-alive would save a handshake (well under a millisecond on a LAN, next to a model's
 * tens of milliseconds), but a server closing an idle socket just as a request reuses it fails that request
 * (ECONNRESET, measured with llama-server), and the cure, resending, is the silent retry the remote engine avoids.
 */
export function agentFor(base: URL): http.Agent {
  const options = { keepAlive: false, maxSockets: 32 };
  return base.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
}

/** Where a path lands under the base URL (`/v1/models` under `http://h/proxy/` is `http://h/proxy/v1/models`). */
export function endpointUrl(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, "");
  const url = new URL(base.href);
  url.pathname = `${prefix}${path}`;
  url.search = "";
  return url;
}

export function describeServer(base: URL): string {
  return base.host;
}

/**
 * One request. Without `onLine`, resolves with the parsed JSON body. With `onLine`, feeds the body line by line
 * and resolves when it ends (or when onLine said "stop").
 */
export function httpCall(endpoint: HttpEndpoint, agent: http.Agent, call: HttpCall): Promise<unknown> {
  const url = endpointUrl(endpoint.base, call.path);
  const where = `${describeServer(endpoint.base)}`;
  const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
  const headers: Record<string, string> = { accept: call.onLine ? "text/event-stream, application/x-ndjson, application/json" : "application/json" };
  if (payload) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(payload.length);
  }
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const transport = url.protocol === "https:" ? https : http;

  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let stallTimer: NodeJS.Timeout | undefined;
    const clear = () => {
      if (connectTimer) clearTimeout(connectTimer);
      if (stallTimer) clearTimeout(stallTimer);
      call.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: EngineError) => {
      if (settled) return;
      settled = true;
      clear();
      request.destroy();
      reject(error);
    };
    const succeed = (value: unknown) => {
      if (settled) return;
      settled = true;
      clear();
      resolve(value);
    };
    const armStall = () => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => fail(new EngineError("timeout", `The server at ${where} sent nothing for ${seconds(endpoint.stallTimeoutMs)} s (${call.method} ${url.pathname}); the request was stopped. Is it overloaded or stuck?`)),
        endpoint.stallTimeoutMs,
      );
    };
    const onAbort = () => fail(new EngineError("cancelled", "Cancelled."));

    const request = transport.request(url, { method: call.method, headers, agent });
    // First, before anything can destroy the request: its "error" (a hang-up after a cancel, too) must never go unheard.
    request.on("error", (error: NodeJS.ErrnoException) => fail(networkError(error, where, endpoint.base)));
    if (call.signal?.aborted) return onAbort();
    call.signal?.addEventListener("abort", onAbort, { once: true });

    request.on("socket", (socket) => {
      const connecting = (socket as { connecting?: boolean }).connecting;
      if (!connecting) return;
      connectTimer = setTimeout(
        () => fail(new EngineError("server-unreachable", `Could not connect to the server at ${where} within ${seconds(endpoint.connectTimeoutMs)} s. Check freehold's server URL (${endpoint.base.href}) and that the machine is reachable.`)),
        endpoint.connectTimeoutMs,
      );
      socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
        if (connectTimer) clearTimeout(connectTimer);
        connectTimer = undefined;
      });
    });
    request.on("finish", armStall);
    request.on("response", (response) => {
      armStall();
      const status = response.statusCode ?? 0;
      const decoder = new StringDecoder("utf8");
      let text = "";
      let ended = false;
      response.on("data", (chunk: Buffer) => {
        if (settled) return;
        armStall();
        if (status !== 200 || !call.onLine) {
          text += decoder.write(chunk);
          return;
        }
        text += decoder.write(chunk);
        let newline = text.indexOf("\n");
        while (newline >= 0) {
          const line = text.slice(0, newline).replace(/\r$/, "");
          text = text.slice(newline + 1);
          let verdict: "stop" | void;
          try {
            verdict = call.onLine(line);
          } catch (error) {
            return fail(error instanceof EngineError ? error : new EngineError("server-error", `The server at ${where} sent an answer Freehold cannot read: ${messageOf(error)}`));
          }
          if (verdict === "stop") {
            succeed(undefined);
            // Closing the connection is how a llama.cpp/Ollama/vLLM server learns to stop generating.
            request.destroy();
            return;
          }
          newline = text.indexOf("\n");
        }
      });
      response.on("end", () => {
        ended = true;
        if (settled) return;
        text += decoder.end();
        if (status !== 200) return fail(httpStatusError(status, text, where, url.pathname));
        if (call.onLine) {
          if (text.trim()) call.onLine(text.replace(/\r$/, ""));
          return succeed(undefined);
        }
        try {
          succeed(text ? JSON.parse(text) : undefined);
        } catch {
          fail(new EngineError("server-error", `The server at ${where} answered ${url.pathname} with something that is not JSON: ${text.slice(0, 120)}`));
        }
      });
      const lost = () => {
        if (!ended) fail(new EngineError("server-error", `The connection to the server at ${where} was lost mid-answer (the server stopped or restarted?). Nothing was retried; try again.`));
      };
      response.on("aborted", lost);
      response.on("error", lost);
      response.on("close", lost);
    });
    request.end(payload);
  });
}

function networkError(error: NodeJS.ErrnoException, where: string, base: URL): EngineError {
  switch (error.code) {
    case "ECONNREFUSED":
      return new EngineError("server-unreachable", `Could not connect to the server at ${where}: connection refused (is the server running on that port? URL ${base.href}).`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new EngineError("server-unreachable", `The server host ${base.hostname} was not found (DNS). Check the server URL ${base.href}.`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new EngineError("server-unreachable", `The server at ${where} cannot be reached from this machine (${error.code}).`);
    case "ECONNRESET":
    case "EPIPE":
      return new EngineError("server-error", `The connection to the server at ${where} was lost (${error.code}; the server stopped or restarted?). Nothing was retried; try again.`);
    default:
      return new EngineError("server-error", `The request to the server at ${where} failed: ${error.message}`);
  }
}

function httpStatusError(status: number, body: string, where: string, path: string): EngineError {
  let detail = body.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    detail = (typeof parsed.error === "string" ? parsed.error : parsed.error?.message) ?? parsed.message ?? detail;
  } catch {
    // not JSON: the text itself
  }
  if (status === 401 || status === 403) {
    return new EngineError("server-error", `The server at ${where} refused the request (HTTP ${status}): set its API key with "Freehold: Set Server API Key" (${detail}).`);
  }
  if (status === 404) return new EngineError("server-error", `The server at ${where} has no ${path} (HTTP 404): is the server kind right? (${detail})`);
  if (status === 400) return new EngineError("bad-request", `The server at ${where} rejected the request (HTTP 400): ${detail}`);
  if (status === 503) return new EngineError("server-error", `The server at ${where} is not ready (HTTP 503: ${detail}); it may still be loading its model.`);
  return new EngineError("server-error", `The server at ${where} answered HTTP ${status} to ${path}: ${detail}`);
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
