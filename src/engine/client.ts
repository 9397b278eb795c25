// The host side of the engine: forks the inference worker on first need, sends typed requests,
// streams their events, cancels them, and restarts a dead worker with backoff.
// Pure Node: used by the extension host and by the command-line interface alike.
import { fork, type ChildProcess } from "node:child_process";
import {
  EngineError,
  type EventOf,
  type LoadModelParams,
  type Method,
  type ModelInfo,
  type ParamsOf,
  type ResultOf,
  type WorkerMessage,
  type WorkerStatus,
} from "./protocol";

export type EngineState = "idle" | "starting" | "loading" | "ready" | "generating" | "error";

export interface EngineStatus {
  state: EngineState;
  /** 0..1 while loading. */
  progress?: number;
  model?: ModelInfo;
  /** What went wrong, in one line, when state is "error" or after a restart. */
  message?: string;
  lastLatencyMs?: number;
  workerPid?: number;
}

export interface EngineClientOptions {
  /** Path of the bundled worker entry (dist/worker.mjs). */
  workerPath: string;
  /** The Node binary; under VS Code this is Electron's, run as Node. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  onStatus?: (status: EngineStatus) => void;
  log?: (line: string) => void;
  /** Restart delays after consecutive crashes, in ms. */
  backoffMs?: readonly number[];
  loadTimeoutMs?: number;
  /** Extra time a request gets past its own time limit before the worker is declared hung. */
  graceMs?: number;
}

export interface RequestOptions<E> {
  onEvent?: (event: E) => void;
  signal?: AbortSignal;
  /** The host gives up (and restarts the worker) when no answer comes in this time. */
  timeoutMs?: number;
}

interface Pending {
  method: Method;
  resolve: (value: unknown) => void;
  reject: (error: EngineError) => void;
  onEvent?: (event: unknown) => void;
  cleanup: () => void;
}

const DEFAULT_BACKOFF = [0, 1000, 2000, 5000, 10000, 30000];
const STABLE_AFTER_MS = 60_000;

export class EngineClient {
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private desiredModel: LoadModelParams | undefined;
  private loadedModel: { params: LoadModelParams; info: ModelInfo } | undefined;
  private modelLoading: Promise<ModelInfo> | undefined;
  private crashes = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private current: EngineStatus = { state: "idle" };
  private activeGenerations = 0;
  /** Number of requests the worker was sent, by method (a test can assert no model call happened). */
  readonly requestCounts: Partial<Record<Method, number>> = {};

  constructor(private readonly options: EngineClientOptions) {}

  get status(): EngineStatus {
    return this.current;
  }

  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  get model(): ModelInfo | undefined {
    return this.loadedModel?.info;
  }

  /** Sets the model to use; it is loaded on the next request that needs it (or now, with `ensureModel`). */
  setModel(params: LoadModelParams | undefined): void {
    this.desiredModel = params;
    if (!params) {
      if (this.loadedModel && this.child) void this.request("unloadModel", {}).catch(() => undefined);
      this.loadedModel = undefined;
      this.update({ state: this.child ? "idle" : "idle", model: undefined, progress: undefined });
    }
  }

  /** Starts the worker and loads the configured model unless it is already loaded. */
  async ensureModel(): Promise<ModelInfo> {
    const wanted = this.desiredModel;
    if (!wanted) throw new EngineError("no-model", "No model is configured. Set freehold.model.path to a GGUF file.");
    if (this.loadedModel && this.child && sameModel(this.loadedModel.params, wanted)) return this.loadedModel.info;
    if (this.modelLoading) return this.modelLoading;
    this.modelLoading = (async () => {
      try {
        await this.ensureWorker();
        this.update({ state: "loading", progress: 0, message: undefined });
        const info = await this.request("loadModel", wanted, {
          timeoutMs: this.options.loadTimeoutMs ?? 10 * 60_000,
          onEvent: (event) => this.update({ state: "loading", progress: event.progress }),
        });
        this.loadedModel = { params: wanted, info };
        this.update({ state: "ready", model: info, progress: undefined, message: undefined });
        return info;
      } catch (error) {
        const engineError = asEngineError(error);
        this.update({ state: "error", message: engineError.message, progress: undefined });
        throw engineError;
      } finally {
        this.modelLoading = undefined;
      }
    })();
    return this.modelLoading;
  }

  async complete(params: ParamsOf<"complete">, options: RequestOptions<EventOf<"complete">> = {}): Promise<ResultOf<"complete">> {
    await this.ensureModel();
    return this.generation("complete", params, options, params.timeLimitMs);
  }

  async chat(params: ParamsOf<"chat">, options: RequestOptions<EventOf<"chat">> = {}): Promise<ResultOf<"chat">> {
    await this.ensureModel();
    return this.generation("chat", params, options, params.timeLimitMs);
  }

  async tokenize(text: string, special = false): Promise<ResultOf<"tokenize">> {
    await this.ensureModel();
    return this.request("tokenize", { text, special }, { timeoutMs: 30_000 });
  }

  async workerStatus(): Promise<WorkerStatus> {
    await this.ensureWorker();
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

    return new Promise<ResultOf<M>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (child.connected) child.send({ type: "cancel", id });
        settle(() => reject(new EngineError("cancelled", "The request was cancelled.")));
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const settle = (fn: () => void) => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        cleanup();
        fn();
      };
      this.pending.set(id, {
        method,
        resolve: (value) => settle(() => resolve(value as ResultOf<M>)),
        reject: (error) => settle(() => reject(error)),
        onEvent: onEvent as ((event: unknown) => void) | undefined,
        cleanup,
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle(() =>
            reject(new EngineError("worker-unresponsive", `The Freehold worker did not answer ${method} within ${Math.round(timeoutMs / 1000)} s; it is being restarted.`)),
          );
          this.killWorker("unresponsive");
        }, timeoutMs);
      }
      try {
        child.send({ type: "request", id, method, params });
      } catch (error) {
        settle(() => reject(new EngineError("worker-died", `Could not reach the Freehold worker: ${messageOf(error)}`)));
      }
    });
  }

  /** Stops the worker (it is started again on the next request). */
  async stopWorker(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      if (child.connected) child.send({ type: "request", id: this.nextId++, method: "shutdown", params: {} });
    } catch {
      // already gone
    }
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([exited, timeout]);
    if (this.child === child) this.killWorker("stopped");
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.stopWorker();
  }

  private async generation<M extends "complete" | "chat">(
    method: M,
    params: ParamsOf<M>,
    options: RequestOptions<EventOf<M>>,
    timeLimitMs: number | undefined,
  ): Promise<ResultOf<M>> {
    const grace = this.options.graceMs ?? 15_000;
    this.activeGenerations++;
    this.update({ state: "generating" });
    const started = performance.now();
    try {
      const result = await this.request(method, params, {
        ...options,
        timeoutMs: options.timeoutMs ?? (timeLimitMs !== undefined ? timeLimitMs + grace : undefined),
      });
      this.current.lastLatencyMs = Math.round(performance.now() - started);
      return result;
    } finally {
      this.activeGenerations--;
      if (this.activeGenerations === 0 && this.current.state === "generating") {
        this.update({ state: this.loadedModel ? "ready" : "idle" });
      }
    }
  }

  private ensureWorker(): Promise<ChildProcess> {
    if (this.child?.connected) return Promise.resolve(this.child);
    if (this.starting) return this.starting;
    this.starting = this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private spawn(): Promise<ChildProcess> {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
    this.update({ state: "starting" });
    return new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(this.options.workerPath, [], {
        execPath: this.options.execPath ?? process.execPath,
        env: { ...(this.options.env ?? process.env), ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
      });
      let ready = false;
      const startTimeout = setTimeout(() => {
        if (!ready) {
          child.kill("SIGKILL");
          reject(new EngineError("worker-unresponsive", "The Freehold worker did not start within 30 s."));
        }
      }, 30_000);
      child.stdout?.on("data", (data: Buffer) => this.log(`[worker] ${data.toString().trimEnd()}`));
      child.stderr?.on("data", (data: Buffer) => this.log(`[worker] ${data.toString().trimEnd()}`));
      child.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          ready = true;
          clearTimeout(startTimeout);
          this.child = child;
          this.startedAt = Date.now();
          this.update({ state: this.loadedModel ? "ready" : "idle", workerPid: child.pid });
          resolve(child);
          return;
        }
        this.onMessage(message);
      });
      child.on("error", (error) => {
        this.log(`worker error: ${error.message}`);
        if (!ready) {
          clearTimeout(startTimeout);
          reject(new EngineError("worker-died", `Could not start the Freehold worker: ${error.message}`));
        }
      });
      child.on("exit", (code, signal) => {
        clearTimeout(startTimeout);
        if (!ready) reject(new EngineError("worker-died", `The Freehold worker exited while starting (${describeExit(code, signal)}).`));
        this.onExit(child, code, signal);
      });
    });
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case "event":
        this.pending.get(message.id)?.onEvent?.(message.event);
        break;
      case "result":
        this.pending.get(message.id)?.resolve(message.result);
        break;
      case "error":
        this.pending.get(message.id)?.reject(new EngineError(message.error.code, message.error.message));
        break;
      case "status":
        break;
      case "ready":
        break;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child && this.child !== undefined) return;
    this.child = undefined;
    const hadModel = this.loadedModel !== undefined;
    this.loadedModel = undefined;
    const expected = this.disposed || (code === 0 && signal === null);
    const reason = `The Freehold worker stopped unexpectedly (${describeExit(code, signal)}).`;
    for (const pending of [...this.pending.values()]) {
      pending.reject(new EngineError("worker-died", expected ? "The Freehold worker was stopped." : `${reason} The request was lost; try again.`));
    }
    this.pending.clear();
    if (expected) {
      this.update({ state: "idle", model: undefined, workerPid: undefined });
      return;
    }
    this.log(reason);
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.crashes = 0;
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF;
    const delay = backoff[Math.min(this.crashes, backoff.length - 1)];
    this.crashes++;
    this.update({ state: "error", message: `${reason} Restarting in ${Math.round(delay / 1000)} s.`, model: undefined, workerPid: undefined });
    if (!hadModel || !this.desiredModel) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.disposed || this.child) return;
      this.ensureModel().catch((error) => this.log(`restart failed: ${messageOf(error)}`));
    }, delay);
    this.restartTimer.unref?.();
  }

  private killWorker(why: string): void {
    const child = this.child;
    if (!child) return;
    this.log(`stopping worker (${why})`);
    child.kill("SIGKILL");
  }

  private update(patch: Partial<EngineStatus>): void {
    this.current = { ...this.current, ...patch };
    this.options.onStatus?.(this.current);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function sameModel(a: LoadModelParams, b: LoadModelParams): boolean {
  return a.path === b.path && a.contextSize === b.contextSize && a.gpuLayers === b.gpuLayers && a.threads === b.threads && a.batchSize === b.batchSize;
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
