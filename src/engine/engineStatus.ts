// The engine's status, computed from the worker's and the model's state machines and what the restart policy has
// scheduled — never patched by hand, so the text says exactly what is true and what will happen next.
import type { ModelInfo } from "./protocol";

export type EngineState = "idle" | "starting" | "loading" | "ready" | "generating" | "error";

export interface EngineStatus {
  state: EngineState;
  /** The two state machines behind `state` (always set by the client). */
  worker?: "absent" | "starting" | "ready" | "dead";
  modelState?: "none" | "loading" | "loaded" | "failed";
  /** 0..1 while loading. */
  progress?: number;
  model?: ModelInfo;
  /** What went wrong and what happens next, in one line, when state is "error" (or a restart is pending). */
  message?: string;
  lastLatencyMs?: number;
  workerPid?: number;
  /** Set when a team's server is the engine (no worker): which server, for the status bar and tooltip. */
  remote?: { kind: string; url: string; host: string };
}

export interface StatusFacts {
  worker:
    | { kind: "absent" }
    | { kind: "starting"; /** When the fork may happen (backoff), if later than now. */ notBefore?: number }
    | { kind: "ready"; pid?: number }
    | { kind: "dead"; reason: string };
  model: { kind: "none" } | { kind: "loading"; progress: number } | { kind: "loaded"; info: ModelInfo } | { kind: "failed"; message: string };
  generating: number;
  lastLatencyMs?: number;
  failuresInARow: number;
  /** The circuit breaker is open: nothing starts the worker until the user does. */
  breakerOpen: boolean;
  breakerMessage: string;
  /** A restart (worker and model) is scheduled at this time. */
  restoreAt?: number;
  /** Without a scheduled restart: the earliest time the next request may fork. */
  nextForkAt?: number;
  now: number;
}

export function engineStatus(facts: StatusFacts): EngineStatus {
  const { worker, model, now } = facts;
  const status: EngineStatus = { state: "idle", worker: worker.kind, modelState: model.kind, lastLatencyMs: facts.lastLatencyMs };
  if (worker.kind === "ready") status.workerPid = worker.pid;
  if (model.kind === "loaded") status.model = model.info;
  const seconds = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
  const delayedStart = worker.kind === "starting" && worker.notBefore && worker.notBefore > now ? `Starting the worker in ${seconds(worker.notBefore)} s (after ${facts.failuresInARow} failures in a row).` : undefined;
  if (model.kind === "loading") {
    status.state = "loading";
    status.progress = model.progress;
    status.message = delayedStart;
  } else if (worker.kind === "starting") {
    status.state = "starting";
    status.message = delayedStart;
  } else if (worker.kind === "dead") {
    status.state = "error";
    if (facts.breakerOpen) status.message = `${worker.reason} ${facts.breakerMessage}`;
    else if (facts.restoreAt !== undefined) status.message = `${worker.reason} Restarting in ${seconds(facts.restoreAt)} s.`;
    else {
      const after = facts.nextForkAt !== undefined && facts.nextForkAt > now ? ` (not before ${seconds(facts.nextForkAt)} s from now)` : "";
      status.message = `${worker.reason} It starts again on the next request${after}.`;
    }
  } else if (model.kind === "failed") {
    status.state = "error";
    status.message = model.message;
  } else if (facts.generating > 0 && worker.kind === "ready") {
    status.state = "generating";
  } else if (model.kind === "loaded") {
    status.state = "ready";
  }
  if (status.message === undefined) delete status.message;
  return status;
}
