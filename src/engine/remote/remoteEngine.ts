// A team's inference server as a role's engine (DESIGN §10 "Engines"): the same requests as the local worker
// (complete with Freehold's own FIM prompt, chat, tokenize), sent to llama-server, Ollama or an OpenAI-compatible
// server by the kind's protocol (llamaServer.ts, ollama.ts, openai.ts). Streams, cancels by aborting the HTTP
// request, applies the stop strings and line rules while streaming (as the worker does), stops at the request's
// time limit with what it has, and retries nothing: a failure is one clear EngineError and the status says it.
// The server and its model are probed once (then again after a failure, on the next request).
import type * as http from "node:http";
import { detectFamily, type FamilyTokens } from "../../models/fimFamilies";
import type { EngineStatus, EnsureModelOptions, RequestOptions } from "../client";
import type { Engine } from "../engine";
import { EngineError, type ChatResult, type CompleteResult, type EventOf, type Method, type ModelInfo, type ParamsOf, type PromptPiece, type RequestStats, type StopReason } from "../protocol";
import { StopScanner } from "../worker/stopScanner";
import { agentFor, httpCall, type HttpEndpoint } from "./http";
import { LlamaServerProtocol } from "./llamaServer";
import { OllamaProtocol } from "./ollama";
import { OpenAiProtocol } from "./openai";
import { DEFAULT_SERVER_TIMEOUTS, isLoopbackHost, serverHost, type RemoteServerConfig, type ServerTimeouts } from "./serverConfig";
import type { ServerFacts, ServerOutcome, ServerProtocol } from "./serverProtocol";

export interface RemoteEngineOptions {
  server: RemoteServerConfig;
  timeouts?: Partial<ServerTimeouts>;
  /** The API key for a server behind a proxy (read per request: the user may set it at any time). */
  apiKey?: () => Promise<string | undefined> | string | undefined;
  /** Asked before the first request to a server that is not on this machine; false refuses. */
  consent?: (host: string) => Promise<boolean>;
  /** Stable for one editor window: chooses the llama-server slot this window keeps its prompt in. */
  windowId?: string;
  /** A fixed llama-server slot instead of one chosen from `windowId` (the load benchmark gives each editor its own). */
  slot?: number;
  onStatus?: (status: EngineStatus) => void;
  log?: (line: string) => void;
}

type Phase =
  | { kind: "none" }
  | { kind: "probing"; promise: Promise<ServerFacts> }
  | { kind: "ready"; facts: ServerFacts; info: ModelInfo }
  | { kind: "failed"; error: EngineError };

export class RemoteEngine implements Engine {
  readonly kind = "remote" as const;
  readonly requestCounts: Partial<Record<Method, number>> = {};
  readonly server: RemoteServerConfig;
  private readonly endpoint: HttpEndpoint;
  private readonly agent: http.Agent;
  private readonly protocol: ServerProtocol;
  private phase: Phase = { kind: "none" };
  private generating = 0;
  private lastLatencyMs: number | undefined;
  private lastError: string | undefined;
  private consented: Promise<void> | undefined;
  private readonly live = new Map<string, AbortController>();
  /** Warm-ups and prefetches in flight: a keystroke's request stops them (they hold the window's slot). */
  private readonly background = new Set<AbortController>();
  private disposed = false;
  private current: EngineStatus;

  constructor(private readonly options: RemoteEngineOptions) {
    this.server = options.server;
    const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...options.timeouts };
    this.endpoint = { base: new URL(options.server.url), connectTimeoutMs: timeouts.connectTimeoutMs, stallTimeoutMs: timeouts.stallTimeoutMs };
    this.agent = agentFor(this.endpoint.base);
    const send = async (call: Parameters<typeof httpCall>[2]) => {
      if (this.disposed) throw new EngineError("cancelled", "The remote engine has been shut down.");
      const apiKey = await options.apiKey?.();
      return httpCall({ ...this.endpoint, apiKey: apiKey || undefined }, this.agent, call);
    };
    this.protocol =
      options.server.kind === "ollama" ? new OllamaProtocol(send, options.server.model!) : options.server.kind === "openai" ? new OpenAiProtocol(send, options.server.model!) : new LlamaServerProtocol(send);
    this.current = this.computeStatus();
  }

  get status(): EngineStatus {
    return this.current;
  }

  get model(): ModelInfo | undefined {
    return this.phase.kind === "ready" ? this.phase.info : undefined;
  }

  /** "host:port" of the server. */
  get host(): string {
    return serverHost(this.server);
  }

  /** Probes the server and its model (once; again after a failure). */
  async ensureModel(options: EnsureModelOptions = {}): Promise<ModelInfo> {
    await this.facts(options.signal);
    return this.model!;
  }

  async complete(params: ParamsOf<"complete">, options: RequestOptions<EventOf<"complete">> = {}): Promise<CompleteResult> {
    const facts = await this.facts(options.signal);
    const info = this.model!;
    const { tokens } = detectFamily(info);
    if (!info.infill || !tokens) throw new EngineError("no-infill", this.noFimMessage(facts));
    const pieces = params.prompt ?? infillPieces(tokens, params.infill);
    if (!pieces) throw new EngineError("bad-request", "A completion needs a prompt or an infill prefix and suffix.");
    return this.run("complete", params, options, async (call) => {
      const outcome = await this.protocol.complete(
        {
          pieces,
          maxTokens: params.maxTokens,
          temperature: params.temperature ?? 0,
          stop: params.stop ?? [],
          evaluateOnly: params.evaluateOnly === true,
          timeLimitMs: params.timeLimitMs,
          slot: this.slotOf(facts),
          signal: call.signal,
          onText: call.onText,
        },
        facts,
      );
      return outcome;
    }, params.supersedeKey, (params.priority ?? "interactive") !== "interactive");
  }

  async chat(params: ParamsOf<"chat">, options: RequestOptions<EventOf<"chat">> = {}): Promise<ChatResult> {
    const facts = await this.facts(options.signal);
    const messages = [
      ...(params.systemPrompt ? [{ role: "system" as const, content: params.systemPrompt }] : []),
      ...params.history.map((m) => ({ role: m.role, content: m.text })),
      { role: "user" as const, content: params.message },
    ];
    return this.run("chat", params, options, (call) =>
      this.protocol.chat(
        { messages, maxTokens: params.maxTokens, temperature: params.temperature ?? 0, stop: params.stop ?? [], timeLimitMs: params.timeLimitMs, slot: this.chatSlotOf(facts), signal: call.signal, onText: call.onText },
        facts,
      ),
    );
  }

  async tokenize(text: string, special = false): Promise<{ tokens: number[]; count: number }> {
    await this.facts();
    this.count("tokenize");
    let tokens: number[] | undefined;
    try {
      tokens = await this.protocol.tokenize(text, special);
    } catch (error) {
      // A chat turn counts its prompt before it asks: a server that fails here failed the user's request.
      if (error instanceof EngineError && error.code !== "cancelled") {
        this.lastError = error.message;
        this.log(`tokenize failed: ${error.message}`);
        this.refresh();
      }
      throw error;
    }
    if (tokens) return { tokens, count: tokens.length };
    // The server cannot count (Ollama): a conservative estimate, so budgets err on the short side.
    return { tokens: [], count: Math.ceil(text.length / 3) };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of [...this.live.values(), ...this.background]) controller.abort();
    this.live.clear();
    this.agent.destroy();
  }

  // ── requests ───────────────────────────────────────────────────────────────────────────────────────────

  private async run(
    method: "complete" | "chat",
    params: ParamsOf<"complete"> | ParamsOf<"chat">,
    options: RequestOptions<{ kind: "token"; text: string }>,
    send: (call: { signal: AbortSignal; onText: (text: string) => "stop" | void }) => Promise<ServerOutcome>,
    supersedeKey?: string,
    lowPriority = false,
  ): Promise<CompleteResult> {
    if (options.signal?.aborted) throw new EngineError("cancelled", "The request was cancelled.");
    this.count(method);
    const controller = new AbortController();
    // As the local worker's queue does: a keystroke pre-empts warm-ups and prefetches.
    if (method === "complete" && !lowPriority) for (const running of this.background) running.abort();
    if (lowPriority) this.background.add(controller);
    if (supersedeKey) {
      this.live.get(supersedeKey)?.abort();
      this.live.set(supersedeKey, controller);
    }
    const onAbort = () => controller.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const scanner = new StopScanner(params.stop ?? [], "stopLines" in params ? (params.stopLines ?? {}) : {});
    const started = performance.now();
    let firstAt: number | undefined;
    let decoded = "";
    let ruleStop = false;
    let timedOut = false;
    const limit = params.timeLimitMs;
    const timer = limit ? setTimeout(() => ((timedOut = true), controller.abort()), limit) : undefined;
    this.generating++;
    this.refresh();
    let outcome: ServerOutcome = {};
    try {
      outcome = await send({
        signal: controller.signal,
        onText: (text) => {
          firstAt ??= performance.now();
          decoded += text;
          const { delta, stopped } = scanner.update(decoded);
          if (delta) options.onEvent?.({ kind: "token", text: delta });
          if (stopped) {
            ruleStop = true;
            return "stop";
          }
        },
      });
      this.lastError = undefined;
    } catch (error) {
      const failure = error instanceof EngineError ? error : new EngineError("internal", String(error));
      if (failure.code !== "cancelled" || !timedOut) {
        if (failure.code === "cancelled" && supersedeKey && !options.signal?.aborted) throw new EngineError("cancelled", "A newer request replaced this one.");
        if (failure.code !== "cancelled") {
          this.lastError = failure.message;
          this.log(`${method} failed: ${failure.message}`);
        }
        throw failure;
      }
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (supersedeKey && this.live.get(supersedeKey) === controller) this.live.delete(supersedeKey);
      this.background.delete(controller);
      this.generating--;
      this.refresh();
    }
    if (!ruleStop) {
      const rest = scanner.flush();
      if (rest) options.onEvent?.({ kind: "token", text: rest });
    }
    const totalMs = performance.now() - started;
    this.lastLatencyMs = Math.round(totalMs);
    this.refresh();
    const stopReason: StopReason = timedOut ? "time-limit" : ruleStop ? "stop-string" : (outcome.stop ?? "eog");
    const promptTokens = outcome.promptTokens ?? 0;
    const evaluated = outcome.evaluatedTokens ?? (outcome.cachedTokens !== undefined ? Math.max(0, promptTokens - outcome.cachedTokens) : promptTokens);
    const stats: RequestStats = {
      promptTokens,
      evaluatedTokens: evaluated,
      reusedTokens: outcome.cachedTokens ?? Math.max(0, promptTokens - evaluated),
      generatedTokens: outcome.generatedTokens ?? 0,
      queueMs: 0,
      ttftMs: Math.round((firstAt ?? performance.now()) - started),
      totalMs: Math.round(totalMs),
    };
    return { text: scanner.text, stopReason, stats };
  }

  private count(method: Method): void {
    this.requestCounts[method] = (this.requestCounts[method] ?? 0) + 1;
  }

  /** The slot this window keeps its completion prompt in (llama-server `id_slot`): stable, spread over the slots. */
  private slotOf(facts: ServerFacts): number | undefined {
    if (this.server.kind !== "llama-server") return undefined;
    if (this.options.slot !== undefined) return this.options.slot % facts.slots;
    const id = this.options.windowId ?? "";
    let hash = 0;
    for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
    return hash % facts.slots;
  }

  /**
   * The slot this window's chat turns go to: the one after its completion slot, so a chat turn never pushes the
   * completion prompt out of the server's cache. With one slot there is no other: chat shares it, and the next
   * keystroke after a chat turn evaluates its prompt again unless the server's prompt cache (`--cache-ram`) kept it.
   */
  private chatSlotOf(facts: ServerFacts): number | undefined {
    const completion = this.slotOf(facts);
    return completion === undefined ? undefined : (completion + 1) % facts.slots;
  }

  // ── probe ──────────────────────────────────────────────────────────────────────────────────────────────

  private async facts(signal?: AbortSignal): Promise<ServerFacts> {
    if (this.disposed) throw new EngineError("cancelled", "The remote engine has been shut down.");
    const phase = this.phase;
    if (phase.kind === "ready") return phase.facts;
    const probing = phase.kind === "probing" ? phase : this.startProbe();
    if (!signal) return probing.promise;
    return new Promise<ServerFacts>((resolve, reject) => {
      const onAbort = () => reject(new EngineError("cancelled", "Stopped while connecting to the server."));
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      probing.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  private startProbe(): Extract<Phase, { kind: "probing" }> {
    const started = performance.now();
    const phase: Extract<Phase, { kind: "probing" }> = { kind: "probing", promise: undefined as never };
    phase.promise = (async () => {
      try {
        await this.consent();
        const facts = await this.protocol.probe();
        const info = this.modelInfo(facts, Math.round(performance.now() - started));
        if (this.phase === phase) this.phase = { kind: "ready", facts, info };
        this.lastError = undefined;
        this.log(`${this.server.kind} at ${this.host}: ${info.name}, ${facts.contextSize}-token context${facts.slots > 1 ? ` per slot, ${facts.slots} slots` : ""}, FIM ${info.infill ? detectFamily(info).family : "no"}`);
        return facts;
      } catch (error) {
        const failure = error instanceof EngineError ? error : new EngineError("internal", String(error));
        if (this.phase === phase) this.phase = { kind: "failed", error: failure };
        this.lastError = failure.message;
        this.log(`${this.server.kind} at ${this.host}: ${failure.message}`);
        throw failure;
      } finally {
        this.refresh();
      }
    })();
    phase.promise.catch(() => undefined);
    this.phase = phase;
    this.refresh();
    return phase;
  }

  /** The first request to a server off this machine asks the user once (per engine; the extension remembers). */
  private consent(): Promise<void> {
    const host = new URL(this.server.url).hostname;
    if (isLoopbackHost(host) || !this.options.consent) return Promise.resolve();
    this.consented ??= this.options.consent(this.host).then((ok) => {
      if (!ok) {
        this.consented = undefined;
        throw new EngineError("not-allowed", `Freehold did not send anything to ${this.host}: sending code to that server was declined. Change or clear the server setting, or use it again to be asked again.`);
      }
    });
    return this.consented;
  }

  private modelInfo(facts: ServerFacts, loadMs: number): ModelInfo {
    const fim = !facts.noFim && detectFamily({ fimTokens: {}, specialTokens: facts.specialTokens }).family !== "none";
    return {
      path: `${this.server.url}#${this.server.kind}/${this.server.model ?? facts.modelName}`,
      name: facts.modelName,
      architecture: facts.architecture,
      sizeBytes: facts.sizeBytes,
      trainContextSize: facts.trainContextSize,
      contextSize: facts.contextSize,
      infill: fim,
      fimTokens: {},
      specialTokens: facts.specialTokens,
      chatTemplate: facts.chatTemplate,
      gpu: false,
      gpuLayers: 0,
      threads: 0,
      loadMs,
    };
  }

  private noFimMessage(facts: ServerFacts): string {
    return `The ${this.server.kind} server at ${this.host} cannot complete code: ${facts.noFim ?? `its model ${facts.modelName} has no fill-in-the-middle tokens Freehold knows (Qwen, StarCoder, DeepSeek, CodeLlama, Codestral)`}. Chat still works; point freehold.completions.server at a base (FIM) model.`;
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────────────────

  private computeStatus(): EngineStatus {
    const phase = this.phase;
    const remote = { kind: this.server.kind, url: this.server.url, host: this.host };
    const status: EngineStatus = { state: "idle", remote, lastLatencyMs: this.lastLatencyMs, modelState: "none" };
    if (phase.kind === "probing") {
      status.state = "loading";
      status.modelState = "loading";
      status.progress = 0;
    } else if (phase.kind === "failed") {
      status.state = "error";
      status.modelState = "failed";
      status.message = phase.error.message;
    } else if (phase.kind === "ready") {
      status.model = phase.info;
      status.modelState = "loaded";
      status.state = this.generating > 0 ? "generating" : this.lastError ? "error" : "ready";
      if (this.lastError) status.message = `${this.lastError} (the next request tries again)`;
      else if (!phase.info.infill) status.message = this.noFimMessage(phase.facts);
    }
    return status;
  }

  private refresh(): void {
    this.current = this.computeStatus();
    this.options.onStatus?.(this.current);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** The plain infill form (prefix, suffix, middle) from the family's tokens, for callers that give prefix/suffix. */
function infillPieces(tokens: FamilyTokens, infill: { prefix: string; suffix: string } | undefined): PromptPiece[] | undefined {
  if (!infill) return undefined;
  if (tokens.suffixFirst) return [{ special: tokens.suffix }, { text: infill.suffix }, { special: tokens.prefix }, { text: infill.prefix }];
  return [{ special: tokens.prefix }, { text: infill.prefix }, { special: tokens.suffix }, { text: infill.suffix }, { special: tokens.middle }];
}
