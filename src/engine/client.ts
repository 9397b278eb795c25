// The host side of the engine: forks the inference worker when first needed, sends typed requests, streams
// their events and cancels them. Pure Node: used by the extension host and the command-line interface alike.
//
// Two state machines, and the status is computed from them (never patched by hand):
//   worker  absent → starting → ready → dead (→ starting again, when the restart policy allows)
//   model   none → loading → loaded | failed   (a failed or cancelled load leaves nothing "loaded")
// Every fork asks the RestartPolicy (backoff, circuit breaker, forks-per-minute cap). Watchdogs: a request's
// own deadline counts from when the worker reports it started (queue time excluded) and, when it passes, only
// that request is cancelled; the worker is killed only when it shows no sign of life (no heartbeat, no answer
// to a cancel).
import { fork, type ChildProcess } from "node:child_process";
import {
  EngineError,
  HEARTBEAT_INTERVAL_MS,
  type ErrorCode,
  type EventOf,
  type LoadModelParams,
  type Method,
  type ModelInfo,
  type ParamsOf,
  type ResultOf,
  type WorkerMessage,
  type WorkerStatus,
} from "./protocol";
import { RestartPolicy } from "./restartPolicy";
import { lowerWorkerPriority } from "./workerPriority";
import { engineStatus, type EngineStatus } from "./engineStatus";
import type { Engine } from "./engine";

export type { EngineState, EngineStatus } from "./engineStatus";

export interface EngineClientOptions {
  /** Path of the bundled worker entry (dist/worker.mjs). */
  workerPath: string;
  /** The Node binary; under VS Code this is Electron's, run as Node. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  onStatus?: (status: EngineStatus) => void;
  log?: (line: string) => void;
  /** Wait before the fork after the 1st, 2nd, … consecutive worker failure, in ms. */
  backoffMs?: readonly number[];
  /** Consecutive failures after which no fork happens until the user restarts (default 5). */
  breakAfter?: number;
  maxForksPerMinute?: number;
  /** A load's limit, counted from when the worker starts it. */
  loadTimeoutMs?: number;
  /** Time a request gets past its own time limit, and a cancelled request to answer, before action is taken. */
  graceMs?: number;
  /** No heartbeat for this long while requests are outstanding: the worker is hung and is killed. */
  hangMs?: number;
  startTimeoutMs?: number;
  /** How much lower than this process's the worker's priority is (workerPriority.ts); 0 keeps it equal. */
  niceness?: number;
  /** What a request without a model is told: the owner knows which setting and command choose one. */
  noModelMessage?: () => string;
}

export interface RequestOptions<E> {
  onEvent?: (event: E) => void;
  signal?: AbortSignal;
  /** Limit counted from when the worker starts the request; past it the request is cancelled (code "timeout"). */
  timeoutMs?: number;
}

export interface EnsureModelOptions {
  /** Stops waiting. When every waiter gave up this way, the load itself is cancelled. */
  signal?: AbortSignal;
}

type WorkerPhase =
  | { kind: "absent" }
  | { kind: "starting"; ready: Promise<ChildProcess>; child?: ChildProcess; notBefore?: number }
  | { kind: "ready"; child: ChildProcess }
  | { kind: "dead"; reason: string };

interface LoadingPhase {
  kind: "loading";
  params: LoadModelParams;
  progress: number;
  controller: AbortController;
  promise: Promise<ModelInfo>;
  /** Waiters that may give up (with a signal); `pinned` when one waits without a signal. */
  waiters: number;
  pinned: boolean;
}

type ModelPhase =
  | { kind: "none" }
  | LoadingPhase
  | { kind: "loaded"; params: LoadModelParams; info: ModelInfo }
  | { kind: "failed"; params: LoadModelParams; error: EngineError; retryAt: number };

interface Pending {
  method: Method;
  /** The worker it was sent to: its exit fails the request. */
  child: ChildProcess;
  timeoutMs?: number;
  timer?: NodeJS.Timeout;
  resolve: (value: unknown) => void;
  reject: (error: EngineError) => void;
  onEvent?: (event: unknown) => void;
}

const DEFAULT_GRACE_MS = 15_000;
/** A request waits at most this long for the policy to allow a fork; past it, it fails at once and says when. */
const MAX_FORK_WAIT_MS = 15_000;
const DEFAULT_HANG_MS = 20_000;

export class EngineClient implements Engine {
  readonly kind = "local" as const;
  private worker: WorkerPhase = { kind: "absent" };
  private modelPhase: ModelPhase = { kind: "none" };
  private desired: LoadModelParams | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Requests cancelled by their deadline: the worker must answer them within the grace time. */
  private readonly awaitingCancel = new Map<number, number>();
  private nextId = 1;
  private generating = 0;
  private lastLatencyMs: number | undefined;
  private lastHeardAt = 0;
  private watchFrom = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private restoreTimer: NodeJS.Timeout | undefined;
  private restoreAt = 0;
  private wakeBackoff: (() => void) | undefined;
  /** A stopped worker still shutting down: the next one is forked only after it exits (never two at once). */
  private exiting: Promise<void> | undefined;
  /** Why we killed a child (its exit then reports this instead of "stopped unexpectedly"). */
  private readonly killed = new WeakMap<ChildProcess, { code: ErrorCode; message: string }>();
  private readonly stopping = new WeakSet<ChildProcess>();
  private disposed = false;
  private current: EngineStatus = { state: "idle", worker: "absent", modelState: "none" };
  readonly policy: RestartPolicy;
  /** Workers forked so far. */
  forks = 0;
  /** Number of requests the worker was sent, by method (a test can assert no model call happened). */
  readonly requestCounts: Partial<Record<Method, number>> = {};

  constructor(private readonly options: EngineClientOptions) {
    this.policy = new RestartPolicy({ backoffMs: options.backoffMs, breakAfter: options.breakAfter, maxForksPerMinute: options.maxForksPerMinute });
  }

  get status(): EngineStatus {
    return this.current;
  }

  get workerPid(): number | undefined {
    return this.worker.kind === "ready" ? this.worker.child.pid : undefined;
  }

  get model(): ModelInfo | undefined {
    return this.modelPhase.kind === "loaded" ? this.modelPhase.info : undefined;
  }

  /** Sets the model to use; it is loaded on the next request that needs it (or now, with `ensureModel`). */
  setModel(params: LoadModelParams | undefined): void {
    const changed = !sameModel(this.desired, params);
    this.desired = params;
    // Asking again is the user's way to retry: a failed load (or an open breaker, for another model) is forgiven.
    if (this.modelPhase.kind === "failed") this.modelPhase = { kind: "none" };
    if (changed) this.policy.reset();
    if (this.modelPhase.kind === "loading" && !sameModel(this.modelPhase.params, params)) this.modelPhase.controller.abort();
    if (!params && this.modelPhase.kind === "loaded") {
      if (this.worker.kind === "ready") void this.request("unloadModel", {}).catch(() => undefined);
      this.modelPhase = { kind: "none" };
    }
    this.refresh();
  }

  /** Starts the worker and loads the configured model unless it is already loaded. */
  ensureModel(options: EnsureModelOptions = {}): Promise<ModelInfo> {
    return this.model_(options.signal, options.signal === undefined);
  }

  async complete(params: ParamsOf<"complete">, options: RequestOptions<EventOf<"complete">> = {}): Promise<ResultOf<"complete">> {
    // A keystroke that gives up must not cancel the load the next keystroke needs: completions pin the load.
    await this.model_(options.signal, true);
    return this.generation("complete", params, options, params.timeLimitMs, params.priority === undefined || params.priority === "interactive");
  }

  async chat(params: ParamsOf<"chat">, options: RequestOptions<EventOf<"chat">> = {}): Promise<ResultOf<"chat">> {
    await this.model_(options.signal, false);
    return this.generation("chat", params, options, params.timeLimitMs, true);
  }

  async tokenize(text: string, special = false): Promise<ResultOf<"tokenize">> {
    await this.ensureModel();
    return this.request("tokenize", { text, special }, { timeoutMs: 30_000 });
  }

  workerStatus(): Promise<WorkerStatus> {
    return this.request("status", {}, { timeoutMs: 10_000 });
  }

  /** Sends one request to the worker (starting it when needed) and resolves with its result. */
  async request<M extends Method>(method: M, params: ParamsOf<M>, options: RequestOptions<EventOf<M>> = {}): Promise<ResultOf<M>> {
    if (this.disposed) throw new EngineError("worker-died", "The engine has been shut down.");
    const child = await this.ensureWorker();
    const { signal, timeoutMs, onEvent } = options;
    if (signal?.aborted) throw new EngineError("cancelled", "The request was cancelled.");
    const id = this.nextId++;
    this.requestCounts[method] = (this.requestCounts[method] ?? 0) + 1;
    if (this.pending.size === 0) this.watchFrom = Date.now();

    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => {
        this.send(child, { type: "cancel", id });
        settle(() => reject(new EngineError("cancelled", "The request was cancelled.")));
      };
      const settle = (fn: () => void) => {
        const entry = this.pending.get(id);
        if (!entry) return;
        this.pending.delete(id);
        if (entry.timer) clearTimeout(entry.timer);
        signal?.removeEventListener("abort", onAbort);
        fn();
      };
      this.pending.set(id, {
        method,
        child,
        timeoutMs,
        resolve: (value) => settle(() => resolve(value as ResultOf<M>)),
        reject: (error) => settle(() => reject(error)),
        onEvent: onEvent as ((event: unknown) => void) | undefined,
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      // When the send fails the worker is going away: its exit (or, failing that, the hang watchdog) fails the
      // request with the real reason.
      this.send(child, { type: "request", id, method, params });
    });
  }

  /** Stops the worker (it starts again on the next request). A user's stop also closes the circuit breaker. */
  async stopWorker(): Promise<void> {
    this.policy.reset();
    this.clearRestore();
    if (this.modelPhase.kind !== "loading") this.modelPhase = { kind: "none" };
    else this.modelPhase.controller.abort();
    const phase = this.worker;
    const child = phase.kind === "ready" || phase.kind === "starting" ? phase.child : undefined;
    if (phase.kind === "dead" || (phase.kind === "starting" && !phase.child)) this.worker = { kind: "absent" };
    this.wakeBackoff?.();
    this.refresh();
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.exiting = exited;
    this.send(child, { type: "request", id: this.nextId++, method: "shutdown", params: {} });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([exited, timeout]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    if (this.exiting === exited) this.exiting = undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearRestore();
    await this.stopWorker();
    this.stopWatchdog();
  }

  // ── model ──────────────────────────────────────────────────────────────────────────────────────────────

  private model_(signal: AbortSignal | undefined, pin: boolean): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(new EngineError("worker-died", "The engine has been shut down."));
    const wanted = this.desired;
    if (!wanted) return Promise.reject(new EngineError("no-model", this.options.noModelMessage?.() ?? "No model is configured."));
    const phase = this.modelPhase;
    if (phase.kind === "loaded" && sameModel(phase.params, wanted) && this.worker.kind === "ready") return Promise.resolve(phase.info);
    if (phase.kind === "failed" && sameModel(phase.params, wanted) && Date.now() < phase.retryAt) return Promise.reject(phase.error);
    const loading = phase.kind === "loading" && sameModel(phase.params, wanted) ? phase : this.startLoad(wanted);
    return this.waitFor(loading, signal, pin);
  }

  private startLoad(params: LoadModelParams): LoadingPhase {
    if (this.modelPhase.kind === "loading") this.modelPhase.controller.abort();
    const controller = new AbortController();
    const phase: LoadingPhase = { kind: "loading", params, progress: 0, controller, promise: undefined as never, waiters: 0, pinned: false };
    this.modelPhase = phase;
    phase.promise = (async () => {
      try {
        await this.ensureWorker();
        const info = await this.request("loadModel", params, {
          signal: controller.signal,
          timeoutMs: this.options.loadTimeoutMs ?? 10 * 60_000,
          onEvent: (event) => {
            phase.progress = event.progress;
            if (this.modelPhase === phase) this.refresh();
          },
        });
        if (this.modelPhase === phase) this.modelPhase = { kind: "loaded", params, info };
        return info;
      } catch (error) {
        const failure = asEngineError(error);
        if (this.modelPhase === phase) {
          this.modelPhase = failure.code === "cancelled" ? { kind: "none" } : { kind: "failed", params, error: failure, retryAt: this.retryAt(failure) };
        }
        throw failure;
      } finally {
        this.refresh();
      }
    })();
    phase.promise.catch(() => undefined);
    this.refresh();
    return phase;
  }

  /** A broken file fails the same way until the user asks again; a worker lost while loading is retried by the policy. */
  private retryAt(error: EngineError): number {
    if (error.code !== "worker-died" && error.code !== "worker-unresponsive") return Infinity;
    const decision = this.policy.decide();
    if (decision.kind === "open") return Infinity;
    return Date.now() + (decision.kind === "wait" ? decision.ms : 0);
  }

  private waitFor(phase: LoadingPhase, signal: AbortSignal | undefined, pin: boolean): Promise<ModelInfo> {
    if (pin || !signal) phase.pinned = true;
    if (!signal) return phase.promise;
    if (!pin) phase.waiters++;
    const leave = () => {
      if (pin) return;
      phase.waiters--;
      if (phase.waiters === 0 && !phase.pinned && this.modelPhase === phase) {
        this.modelPhase = { kind: "none" };
        phase.controller.abort();
        this.refresh();
      }
    };
    return new Promise<ModelInfo>((resolve, reject) => {
      const onAbort = () => {
        leave();
        reject(new EngineError("cancelled", "Stopped while the model was loading."));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      phase.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  private async generation<M extends "complete" | "chat">(
    method: M,
    params: ParamsOf<M>,
    options: RequestOptions<EventOf<M>>,
    timeLimitMs: number | undefined,
    /** Someone waits for it: the status says "generating" and its latency is shown. Prefetch and warm-ahead are not. */
    awaited: boolean,
  ): Promise<ResultOf<M>> {
    const grace = this.options.graceMs ?? DEFAULT_GRACE_MS;
    if (awaited) {
      this.generating++;
      this.refresh();
    }
    const started = performance.now();
    try {
      const result = await this.request(method, params, {
        ...options,
        timeoutMs: options.timeoutMs ?? (timeLimitMs !== undefined ? timeLimitMs + grace : undefined),
      });
      if (awaited) this.lastLatencyMs = Math.round(performance.now() - started);
      return result;
    } finally {
      if (awaited) {
        this.generating--;
        this.refresh();
      }
    }
  }

  // ── worker ─────────────────────────────────────────────────────────────────────────────────────────────

  private ensureWorker(): Promise<ChildProcess> {
    const phase = this.worker;
    if (phase.kind === "ready" && phase.child.connected) return Promise.resolve(phase.child);
    // A worker that lost its channel is dying: the next one starts after its exit has been handled.
    if (phase.kind === "ready") return exitOf(phase.child).then(() => this.ensureWorker());
    if (phase.kind === "starting") return phase.ready;
    if (this.disposed) return Promise.reject(new EngineError("worker-died", "The engine has been shut down."));
    const decision = this.policy.decide();
    if (decision.kind === "open") return Promise.reject(new EngineError("worker-died", this.breakerMessage()));
    if (decision.kind === "wait" && decision.ms > MAX_FORK_WAIT_MS) {
      return Promise.reject(new EngineError("worker-died", `The Freehold worker was started ${this.policy.forksInLastMinute()} times in the last minute; it starts again in ${Math.ceil(decision.ms / 1000)} s.`));
    }
    this.clearRestore();
    const starting: Extract<WorkerPhase, { kind: "starting" }> = { kind: "starting", ready: undefined as never };
    starting.notBefore = decision.kind === "wait" ? Date.now() + decision.ms : undefined;
    this.worker = starting;
    starting.ready = (async () => {
      if (decision.kind === "wait") await this.backoff(decision.ms);
      await this.exiting;
      if (this.disposed) throw new EngineError("worker-died", "The engine has been shut down.");
      if (this.worker !== starting) throw new EngineError("worker-died", "The Freehold worker was stopped.");
      starting.notBefore = undefined;
      return this.spawn(starting);
    })();
    starting.ready.catch(() => undefined);
    this.refresh();
    return starting.ready;
  }

  private backoff(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeBackoff = done;
    }).then(() => {
      this.wakeBackoff = undefined;
    });
  }

  private spawn(phase: Extract<WorkerPhase, { kind: "starting" }>): Promise<ChildProcess> {
    this.policy.recordFork();
    this.forks++;
    return new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(this.options.workerPath, [], {
        execPath: this.options.execPath ?? process.execPath,
        env: { ...(this.options.env ?? process.env), ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
      });
      phase.child = child;
      lowerWorkerPriority(child.pid, this.options.niceness);
      this.refresh();
      let ready = false;
      const startLimit = this.options.startTimeoutMs ?? 30_000;
      const startTimer = setTimeout(() => {
        this.kill(child, "worker-unresponsive", `The Freehold worker did not start within ${Math.round(startLimit / 1000)} s.`);
      }, startLimit);
      child.stdout?.on("data", (data: Buffer) => this.log(`[worker] ${data.toString().trimEnd()}`));
      child.stderr?.on("data", (data: Buffer) => this.log(`[worker] ${data.toString().trimEnd()}`));
      child.on("message", (message: WorkerMessage) => {
        if (message.type !== "ready") return this.onMessage(child, message);
        ready = true;
        clearTimeout(startTimer);
        if (this.disposed || this.worker !== phase) {
          this.stopping.add(child);
          child.kill("SIGKILL");
          reject(new EngineError("worker-died", "The Freehold worker was stopped."));
          return;
        }
        this.worker = { kind: "ready", child };
        this.lastHeardAt = Date.now();
        this.startWatchdog();
        this.refresh();
        resolve(child);
      });
      child.on("error", (error) => this.log(`worker error: ${error.message}`));
      child.on("exit", (code, signal) => {
        clearTimeout(startTimer);
        if (!ready) {
          const killed = this.killed.get(child);
          reject(new EngineError(killed?.code ?? "worker-died", killed?.message ?? `The Freehold worker exited while starting (${describeExit(code, signal)}).`));
        }
        this.onExit(child, code, signal);
      });
    });
  }

  private onMessage(child: ChildProcess, message: WorkerMessage): void {
    if (this.worker.kind !== "ready" || this.worker.child !== child) return;
    this.lastHeardAt = Date.now();
    switch (message.type) {
      case "started": {
        const pending = this.pending.get(message.id);
        if (pending?.timeoutMs !== undefined) {
          pending.timer = setTimeout(() => this.overdue(child, message.id), pending.timeoutMs);
        }
        break;
      }
      case "event":
        this.pending.get(message.id)?.onEvent?.(message.event);
        break;
      case "result":
        this.awaitingCancel.delete(message.id);
        this.policy.recordHealthy();
        this.pending.get(message.id)?.resolve(message.result);
        break;
      case "error":
        this.awaitingCancel.delete(message.id);
        this.pending.get(message.id)?.reject(new EngineError(message.error.code, message.error.message));
        break;
      case "heartbeat":
      case "ready":
        break;
    }
  }

  /** A request ran past its limit: cancel it alone; the worker must confirm within the grace time. */
  private overdue(child: ChildProcess, id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    const seconds = Math.round((pending.timeoutMs ?? 0) / 1000);
    this.send(child, { type: "cancel", id });
    this.awaitingCancel.set(id, Date.now() + (this.options.graceMs ?? DEFAULT_GRACE_MS));
    pending.reject(new EngineError("timeout", `The ${pending.method} request did not finish within ${seconds} s of starting; it was stopped.`));
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.checkAlive(), HEARTBEAT_INTERVAL_MS);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkAlive(): void {
    if (this.worker.kind !== "ready") return;
    const child = this.worker.child;
    const now = Date.now();
    for (const [id, deadline] of this.awaitingCancel) {
      if (now < deadline) continue;
      this.awaitingCancel.delete(id);
      return this.kill(child, "worker-unresponsive", "The Freehold worker did not stop a request that ran past its limit; it was restarted.");
    }
    if (this.pending.size === 0) return;
    const hangMs = this.options.hangMs ?? DEFAULT_HANG_MS;
    const silent = now - Math.max(this.lastHeardAt, this.watchFrom);
    if (silent > hangMs) this.kill(child, "worker-unresponsive", `The Freehold worker stopped responding (no sign of life for ${Math.round(silent / 1000)} s); it was restarted.`);
  }

  private kill(child: ChildProcess, code: ErrorCode, message: string): void {
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.log(message);
    this.killed.set(child, { code, message });
    child.kill("SIGKILL");
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const phase = this.worker;
    const mine = (phase.kind === "ready" || phase.kind === "starting") && phase.child === child;
    const expected = this.disposed || this.stopping.has(child);
    const killed = this.killed.get(child);
    const reason = killed?.message ?? `The Freehold worker stopped unexpectedly (${describeExit(code, signal)}).`;
    const lost = new EngineError(killed?.code ?? "worker-died", expected ? "The Freehold worker was stopped." : `${reason} The request was lost; try again.`);
    for (const pending of [...this.pending.values()]) if (pending.child === child) pending.reject(lost);
    if (!mine) return;
    this.worker = expected ? { kind: "absent" } : { kind: "dead", reason };
    this.stopWatchdog();
    this.awaitingCancel.clear();
    if (!expected) {
      this.policy.recordFailure();
      this.log(reason);
    }
    const hadModel = this.modelPhase.kind === "loaded";
    if (hadModel) this.modelPhase = { kind: "none" };
    if (!expected && hadModel && this.desired) this.scheduleRestore();
    this.refresh();
  }

  /** The worker died holding the model: bring both back when the policy allows. */
  private scheduleRestore(): void {
    const decision = this.policy.decide();
    if (decision.kind === "open") return;
    const delay = decision.kind === "wait" ? decision.ms : 0;
    this.restoreAt = Date.now() + delay;
    this.restoreTimer = setTimeout(() => {
      this.restoreTimer = undefined;
      if (this.disposed) return;
      this.ensureModel().catch((error) => this.log(`restart failed: ${messageOf(error)}`));
    }, delay);
    this.restoreTimer.unref?.();
  }

  private clearRestore(): void {
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = undefined;
  }

  private breakerMessage(): string {
    return `The Freehold worker failed ${this.policy.consecutiveFailures} times in a row, so it is not started again by itself. Run “Freehold: Restart Inference Worker” (or choose another model) to try again.`;
  }

  private send(child: ChildProcess, message: unknown): boolean {
    if (!child.connected) return false;
    try {
      child.send(message as object);
      return true;
    } catch (error) {
      this.log(`could not reach the worker: ${messageOf(error)}`);
      return false;
    }
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────────────────

  private refresh(): void {
    const worker = this.worker;
    const model = this.modelPhase;
    const now = Date.now();
    const decision = this.policy.decide();
    this.current = engineStatus({
      worker: worker.kind === "ready" ? { kind: "ready", pid: worker.child.pid } : worker.kind === "starting" ? { kind: "starting", notBefore: worker.notBefore } : worker,
      model:
        model.kind === "loading"
          ? { kind: "loading", progress: model.progress }
          : model.kind === "failed"
            ? { kind: "failed", message: model.error.message }
            : model.kind === "loaded"
              ? { kind: "loaded", info: model.info }
              : model,
      generating: this.generating,
      lastLatencyMs: this.lastLatencyMs,
      failuresInARow: this.policy.consecutiveFailures,
      breakerOpen: decision.kind === "open",
      breakerMessage: this.breakerMessage(),
      restoreAt: this.restoreTimer ? this.restoreAt : undefined,
      nextForkAt: decision.kind === "wait" ? now + decision.ms : undefined,
      now,
    });
    this.options.onStatus?.(this.current);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function sameModel(a: LoadModelParams | undefined, b: LoadModelParams | undefined): boolean {
  if (!a || !b) return a === b;
  return a.path === b.path && a.contextSize === b.contextSize && a.gpuLayers === b.gpuLayers && a.threads === b.threads && a.batchSize === b.batchSize && a.llamaBuild === b.llamaBuild;
}

/** Settles when the child has exited and its exit event has been handled. */
function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (child.exitCode !== null || child.signalCode !== null) done();
    }, 100);
    function done() {
      clearInterval(check);
      // The exit handler runs in the same turn as the exit event: give it that turn.
      setImmediate(resolve);
    }
    child.once("exit", done);
  });
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal ${signal}`;
  return `exit code ${code}`;
}

function asEngineError(error: unknown): EngineError {
  return error instanceof EngineError ? error : new EngineError("internal", messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
