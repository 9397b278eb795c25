// Entry of the inference worker process: reads typed requests from the parent over IPC, runs them on the
// ModelHost and streams events back. Completions and chat run on separate sequences of one context, each
// with its own queue, so a keystroke completion runs beside a streaming chat answer (node-llama-cpp batches
// the two sequences' decodes together). Loading or unloading a model is exclusive: it ends the running
// generations first (they answer "cancelled") and the next ones wait for it.
import { memoryUsage } from "node:process";
import {
  EngineError,
  HEARTBEAT_INTERVAL_MS,
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
const lanes = { completion: new GenerationQueue(), chat: new GenerationQueue() };
/** Every request being handled, by id (a cancel aborts its controller). */
const live = new Map<number, AbortController>();
/** The generation requests among them (a model switch ends these first). */
const generations = new Set<number>();
const supersede = new Map<string, number>();
let state: WorkerState = "idle";
let lastError: string | undefined;
let requestsServed = 0;
/** The load or unload in progress; generations wait for it. */
let exclusive: Promise<unknown> | undefined;

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

function status(): WorkerStatus {
  const busy = lanes.completion.busy || lanes.chat.busy;
  return {
    state: busy ? "generating" : state,
    model: host.modelInfo,
    pending: lanes.completion.pending + lanes.chat.pending,
    requestsServed,
    pid: process.pid,
    rssBytes: memoryUsage.rss(),
    lastError,
    chatSessions: host.chatSessions,
  };
}

function toWire(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  return { code: "internal", message: messageOf(error) };
}

/** Runs a load or unload alone: earlier ones finish, running generations are ended and drained first. */
async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  while (exclusive) await exclusive.catch(() => undefined);
  const run = (async () => {
    for (const id of generations) live.get(id)?.abort(new EngineError("cancelled", "The answer was ended because the model is being changed."));
    await Promise.all([lanes.completion.whenIdle(), lanes.chat.whenIdle()]);
    return work();
  })();
  exclusive = run;
  try {
    return await run;
  } finally {
    if (exclusive === run) exclusive = undefined;
  }
}

async function modelSettled(): Promise<void> {
  while (exclusive) await exclusive.catch(() => undefined);
}

async function handle(id: number, method: Method, params: unknown, signal: AbortSignal): Promise<unknown> {
  const received = performance.now();
  const event = (payload: unknown) => send({ type: "event", id, event: payload });
  const started = () => send({ type: "started", id });
  switch (method) {
    case "loadModel":
      return exclusively(async () => {
        if (signal.aborted) throw new EngineError("cancelled", "Model loading was cancelled.");
        started();
        state = "loading";
        try {
          const info = await host.load(params as LoadModelParams, (progress) => event({ kind: "progress", progress }), signal);
          state = "ready";
          lastError = undefined;
          return info;
        } catch (error) {
          state = host.modelInfo ? "ready" : signal.aborted ? "idle" : "error";
          lastError = signal.aborted ? undefined : messageOf(error);
          throw error;
        }
      });
    case "unloadModel":
      return exclusively(async () => {
        started();
        const unloaded = await host.unload();
        state = "idle";
        return { unloaded };
      });
    case "complete": {
      const p = params as CompleteParams;
      if (p.supersedeKey) {
        const previous = supersede.get(p.supersedeKey);
        if (previous !== undefined) live.get(previous)?.abort(new EngineError("cancelled", "Superseded by a newer request."));
        supersede.set(p.supersedeKey, id);
      }
      try {
        await modelSettled();
        return await lanes.completion.run(p.priority ?? "interactive", signal, (jobSignal) => {
          started();
          return host.complete(p, jobSignal, (text) => event({ kind: "token", text }), performance.now() - received);
        });
      } finally {
        if (p.supersedeKey && supersede.get(p.supersedeKey) === id) supersede.delete(p.supersedeKey);
      }
    }
    case "chat": {
      const p = params as ChatParams;
      await modelSettled();
      return lanes.chat.run("interactive", signal, (jobSignal) => {
        started();
        return host.chatTurn(p, jobSignal, (text) => event({ kind: "token", text }), performance.now() - received);
      });
    }
    case "tokenize": {
      const p = params as TokenizeParams;
      await modelSettled();
      started();
      const tokens = host.tokenize(p.text, p.special ?? false);
      return { tokens, count: tokens.length };
    }
    case "status":
      started();
      return status();
    case "shutdown":
      started();
      setImmediate(() => void shutdown(0));
      return { ok: true };
    default:
      throw new EngineError("bad-request", `Unknown method ${String(method)}.`);
  }
}

async function onRequest(message: Extract<HostMessage, { type: "request" }>): Promise<void> {
  const controller = new AbortController();
  live.set(message.id, controller);
  if (message.method === "complete" || message.method === "chat") generations.add(message.id);
  try {
    const result = await handle(message.id, message.method, message.params, controller.signal);
    send({ type: "result", id: message.id, result });
  } catch (error) {
    send({ type: "error", id: message.id, error: toWire(error) });
  } finally {
    live.delete(message.id);
    generations.delete(message.id);
    requestsServed++;
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

// The parent went away (host reload or crash): never linger holding a model in memory. The IPC channel closing
// says so at once; the parent pid changing (re-parented to init) catches a parent killed so hard that the
// channel's close was missed.
const parentPid = process.ppid;
process.on("disconnect", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("unhandledRejection", (reason) => {
  lastError = messageOf(reason);
  process.stderr.write(`[freehold worker] unhandled rejection: ${lastError}\n`);
});
setInterval(() => {
  if (!process.connected || process.ppid !== parentPid) void shutdown(0);
  else send({ type: "heartbeat" });
}, HEARTBEAT_INTERVAL_MS).unref();

send({ type: "ready", pid: process.pid });
