// Entry of the inference worker process: reads typed requests from the parent over IPC,
// runs them on the ModelHost (one generation at a time) and streams events back.
import { memoryUsage } from "node:process";
import {
  EngineError,
  isHostMessage,
  type ChatParams,
  type CompleteParams,
  type HostMessage,
  type LoadModelParams,
  type Method,
  type TokenizeParams,
  type WireError,
  type WorkerMessage,
  type WorkerState,
  type WorkerStatus,
} from "../protocol";
import { GenerationQueue } from "./generationQueue";
import { ModelHost, messageOf } from "./modelHost";

const host = new ModelHost();
const queue = new GenerationQueue();
const live = new Map<number, AbortController>();
const supersede = new Map<string, number>();
let state: WorkerState = "idle";
let lastError: string | undefined;
let requestsServed = 0;
let loading: Promise<unknown> | undefined;

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

function status(): WorkerStatus {
  return {
    state: queue.busy ? "generating" : state,
    model: host.modelInfo,
    pending: queue.pending,
    requestsServed,
    pid: process.pid,
    rssBytes: memoryUsage.rss(),
    lastError,
  };
}

function publishStatus(): void {
  send({ type: "status", status: status() });
}

function toWire(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  return { code: "internal", message: messageOf(error) };
}

async function handle(id: number, method: Method, params: unknown, signal: AbortSignal): Promise<unknown> {
  const received = performance.now();
  const event = (payload: unknown) => send({ type: "event", id, event: payload });
  switch (method) {
    case "loadModel": {
      state = "loading";
      publishStatus();
      const task = host.load(params as LoadModelParams, (progress) => event({ kind: "progress", progress }), signal);
      loading = task.catch(() => undefined);
      try {
        const info = await task;
        state = "ready";
        lastError = undefined;
        return info;
      } catch (error) {
        state = host.modelInfo ? "ready" : "error";
        lastError = messageOf(error);
        throw error;
      } finally {
        loading = undefined;
      }
    }
    case "unloadModel": {
      await loading;
      const unloaded = await queue.run("interactive", signal, () => host.unload());
      state = "idle";
      return { unloaded };
    }
    case "complete": {
      const p = params as CompleteParams;
      await loading;
      if (p.supersedeKey) {
        const previous = supersede.get(p.supersedeKey);
        if (previous !== undefined) live.get(previous)?.abort(new EngineError("cancelled", "Superseded by a newer request."));
        supersede.set(p.supersedeKey, id);
      }
      try {
        return await queue.run(p.priority ?? "interactive", signal, (jobSignal) =>
          host.complete(p, jobSignal, (text) => event({ kind: "token", text }), performance.now() - received),
        );
      } finally {
        if (p.supersedeKey && supersede.get(p.supersedeKey) === id) supersede.delete(p.supersedeKey);
      }
    }
    case "chat": {
      const p = params as ChatParams;
      await loading;
      return queue.run("interactive", signal, (jobSignal) =>
        host.chatTurn(p, jobSignal, (text) => event({ kind: "token", text }), performance.now() - received),
      );
    }
    case "tokenize": {
      const p = params as TokenizeParams;
      await loading;
      const tokens = host.tokenize(p.text, p.special ?? false);
      return { tokens, count: tokens.length };
    }
    case "status":
      return status();
    case "shutdown":
      setImmediate(() => void shutdown(0));
      return { ok: true };
    default:
      throw new EngineError("bad-request", `Unknown method ${String(method)}.`);
  }
}

async function onRequest(message: Extract<HostMessage, { type: "request" }>): Promise<void> {
  const controller = new AbortController();
  live.set(message.id, controller);
  try {
    const result = await handle(message.id, message.method, message.params, controller.signal);
    send({ type: "result", id: message.id, result });
  } catch (error) {
    send({ type: "error", id: message.id, error: toWire(error) });
  } finally {
    live.delete(message.id);
    requestsServed++;
    publishStatus();
  }
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const controller of live.values()) controller.abort(new EngineError("cancelled", "The worker is shutting down."));
  const forced = setTimeout(() => process.exit(code), 3000);
  forced.unref();
  try {
    await host.dispose();
  } finally {
    process.exit(code);
  }
}

process.on("message", (message: unknown) => {
  if (!isHostMessage(message)) return;
  if (message.type === "cancel") {
    live.get(message.id)?.abort(new EngineError("cancelled", "The request was cancelled."));
    return;
  }
  void onRequest(message);
});

// The parent went away (host reload or crash): never linger holding a model in memory.
process.on("disconnect", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("unhandledRejection", (reason) => {
  lastError = messageOf(reason);
  process.stderr.write(`[freehold worker] unhandled rejection: ${lastError}\n`);
});

send({ type: "ready", pid: process.pid });
