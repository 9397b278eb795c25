// Owns node-llama-cpp inside the worker: the Llama instance, one model, one context with three sequences
// (two for completions, chosen per prompt by kvChoice.ts, and one for chat, so each keeps its own KV cache),
// and the generation loops.
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import type {
  Llama,
  LlamaModel,
  LlamaContext,
  LlamaContextSequence,
  LlamaChatSession,
  ChatHistoryItem,
  Token,
} from "node-llama-cpp";
import {
  EngineError,
  type ChatMessage,
  type ChatParams,
  type ChatResult,
  type CompleteParams,
  type CompleteResult,
  type LoadModelParams,
  type ModelInfo,
  type PromptPiece,
  type Priority,
  type RequestStats,
  type StopReason,
} from "../protocol";
import { LRUCache } from "lru-cache";
import { StopScanner } from "./stopScanner";
import { BackgroundSteps } from "./backgroundSteps";
import { CacheChoice, COMPLETION_CACHES, WORKER_SEQUENCES } from "../kvChoice";
import { cancelledError } from "./generationQueue";
import { LLAMA_BUILD_ENV, llamaGpuOption, loadLlama, mapModelFile, parseLlamaBuildChoice } from "./llamaBuild";
import { checkGgufFile } from "../../models/ggufFile";
import { FAMILY_PROBE_TOKENS } from "../../models/fimFamilies";

type NodeLlamaCpp = typeof import("node-llama-cpp");

/** Prompt tokens evaluated per step; between steps a cancel is noticed. */
const PROMPT_CHUNK = 128;

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  completionSequences: Array<{ sequence: LlamaContextSequence; usedAt: number }>;
  /** Chooses a completion cache for each request (kvChoice.ts). */
  cacheChoice: CacheChoice;
  chatSequence: LlamaContextSequence;
  info: ModelInfo;
  /**
   * Tokens of recent long prompt pieces. Between keystrokes on one line only the line's piece changes; the
   * snippets, the prefix above it and the suffix come again unchanged, and tokenizing them each time cost 2.5 ms
   * (1,400 tokens) on a quiet core, more on a core the editor shares, ahead of every first token.
   */
  pieceTokens: LRUCache<string, readonly Token[]>;
}

/** Pieces shorter than this are tokenized every time: cheap, and most change at each keystroke. */
const CACHED_PIECE_CHARS = 512;

interface ChatState {
  conversationId: string;
  session: LlamaChatSession;
  systemPrompt: string | undefined;
}

export type TokenSink = (text: string) => void;

export class ModelHost {
  private lib: NodeLlamaCpp | undefined;
  private llama: Llama | undefined;
  private llamaKey: string | undefined;
  private llamaBuild: "native" | "prebuilt" = "prebuilt";
  private loaded: Loaded | undefined;
  /** Orders the completion caches' uses (least recently used is overwritten by a new place). */
  private completionUses = 0;
  /** Step sizes of prefetches and warm-ups (a keystroke that pre-empts one waits for one step). */
  private readonly backgroundSteps = new BackgroundSteps();
  private chat: ChatState | undefined;
  /** Sessions created and not yet disposed (a test and `status` read it: a leak shows here). */
  private readonly sessions = new Set<LlamaChatSession>();

  get modelInfo(): ModelInfo | undefined {
    return this.loaded?.info;
  }

  get chatSessions(): number {
    return this.sessions.size;
  }

  async load(params: LoadModelParams, onProgress: (progress: number) => void, signal: AbortSignal): Promise<ModelInfo> {
    const started = performance.now();
    const sizeBytes = await checkGgufFile(params.path);
    await this.unload();
    const cancelled = () => new EngineError("cancelled", "Model loading was cancelled.");
    if (signal.aborted) throw cancelled();

    const lib = await this.library();
    const gpu = llamaGpuOption(params.gpuLayers);
    const threads = params.threads && params.threads > 0 ? params.threads : availableParallelism();
    const buildChoice = parseLlamaBuildChoice(process.env[LLAMA_BUILD_ENV]) ?? params.llamaBuild ?? "prebuilt";
    const llamaKey = `${String(gpu)}/${buildChoice}/${threads}`;
    if (!this.llama || this.llamaKey !== llamaKey) {
      await this.llama?.dispose();
      this.llama = undefined;
      try {
        const loaded = await loadLlama(lib, buildChoice, { gpu, maxThreads: threads, logLevel: lib.LlamaLogLevel.error });
        this.llama = loaded.llama;
        this.llamaBuild = loaded.build;
      } catch (error) {
        throw new EngineError("model-load-failed", messageOf(error));
      }
      this.llamaKey = llamaKey;
    }
    const llama = this.llama;

    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: params.path,
        gpuLayers: params.gpuLayers === "auto" ? "auto" : params.gpuLayers,
        useMmap: mapModelFile(params.gpuLayers, llama.gpu),
        onLoadProgress: onProgress,
        loadSignal: signal,
      });
    } catch (error) {
      if (signal.aborted) throw cancelled();
      throw new EngineError("model-load-failed", `Could not load ${basename(params.path)}: ${messageOf(error)}`);
    }
    if (signal.aborted) {
      await model.dispose();
      throw cancelled();
    }

    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: params.contextSize,
        sequences: WORKER_SEQUENCES,
        threads,
        batchSize: params.batchSize ?? Math.min(512, params.contextSize),
        createSignal: signal,
      });
    } catch (error) {
      await model.dispose();
      if (signal.aborted) throw cancelled();
      throw new EngineError("model-load-failed", `Could not create a ${params.contextSize}-token context: ${messageOf(error)}`);
    }

    const infill = model.tokens.infill;
    const info: ModelInfo = {
      path: params.path,
      name: basename(params.path),
      architecture: String(model.fileInfo.metadata.general?.architecture ?? "unknown"),
      sizeBytes,
      trainContextSize: model.trainContextSize,
      contextSize: context.contextSize,
      completionCaches: COMPLETION_CACHES,
      infill: infill.prefix != null && infill.suffix != null && infill.middle != null,
      fimTokens: {
        prefix: infill.prefixString ?? undefined,
        suffix: infill.suffixString ?? undefined,
        middle: infill.middleString ?? undefined,
      },
      specialTokens: FAMILY_PROBE_TOKENS.filter((text) => {
        const tokens = model.tokenize(text, true);
        return tokens.length === 1 && model.isSpecialToken(tokens[0]);
      }),
      chatTemplate: typeof model.fileInfo.metadata.tokenizer?.chat_template === "string" && model.fileInfo.metadata.tokenizer.chat_template.length > 0,
      gpu: llama.gpu,
      gpuLayers: model.gpuLayers,
      threads,
      loadMs: Math.round(performance.now() - started),
      llamaBuild: this.llamaBuild,
      systemInfo: llama.systemInfo,
    };
    this.loaded = {
      model,
      context,
      completionSequences: Array.from({ length: COMPLETION_CACHES }, () => ({ sequence: context.getSequence(), usedAt: 0 })),
      cacheChoice: new CacheChoice(),
      chatSequence: context.getSequence(),
      info,
      pieceTokens: new LRUCache({ max: 32 }),
    };
    return info;
  }

  async unload(): Promise<boolean> {
    const loaded = this.loaded;
    if (!loaded) return false;
    this.loaded = undefined;
    this.dropChat();
    await loaded.context.dispose();
    await loaded.model.dispose();
    return true;
  }

  async dispose(): Promise<void> {
    await this.unload();
    await this.llama?.dispose();
    this.llama = undefined;
  }

  tokenize(text: string, special: boolean): Token[] {
    return this.require().model.tokenize(text, special);
  }

  async complete(params: CompleteParams, signal: AbortSignal, onToken: TokenSink, queueMs: number): Promise<CompleteResult> {
    const loaded = this.require();
    const started = performance.now();
    const prompt = this.completionPrompt(loaded, params);
    const sequence = this.completionSequenceFor(loaded, prompt, params.priority ?? "interactive");
    if (prompt.length + params.maxTokens > sequence.contextSize) {
      throw new EngineError(
        "bad-request",
        `The prompt (${prompt.length} tokens) and ${params.maxTokens} new tokens do not fit the ${sequence.contextSize}-token context.`,
      );
    }

    // Keep the longest common prefix of the KV cache; evaluate only what differs.
    await sequence.adaptStateToTokens(prompt, false);
    if (!params.evaluateOnly && sequence.nextTokenIndex >= prompt.length) {
      // Everything is cached, but sampling needs the last prompt token's logits.
      await sequence.eraseContextTokenRanges([{ start: prompt.length - 1, end: sequence.nextTokenIndex }]);
    }
    const reusedTokens = sequence.nextTokenIndex;
    const toEvaluate = prompt.slice(reusedTokens);
    // Evaluate the prompt in chunks so a cancel or a more urgent request can stop a long cold prompt.
    // Past the time limit it stops with what is evaluated so far kept in the cache, for the next request to reuse.
    // When generating, the last chunk goes to the same decode call as the first sampled token: every decode call
    // costs the prebuilt binary ~15 ms of thread start-up at 2 threads, and a keystroke's tail is one short chunk.
    const interactive = (params.priority ?? "interactive") === "interactive";
    const chunk = interactive ? PROMPT_CHUNK : this.backgroundSteps.size;
    const tailLength = params.evaluateOnly ? 0 : ((toEvaluate.length - 1) % chunk) + 1;
    const body = toEvaluate.slice(0, toEvaluate.length - tailLength);
    const deadline = params.timeLimitMs ? started + params.timeLimitMs : Infinity;
    for (let at = 0; at < body.length; at += chunk) {
      if (signal.aborted) throw cancelledError(signal);
      if (performance.now() >= deadline) {
        const totalMs = round(performance.now() - started);
        return {
          text: "",
          stopReason: "time-limit",
          stats: { promptTokens: prompt.length, evaluatedTokens: at, reusedTokens, generatedTokens: 0, queueMs: Math.round(queueMs), ttftMs: totalMs, totalMs },
        };
      }
      const step = body.slice(at, at + chunk);
      const stepStarted = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(step);
      if (!interactive) this.backgroundSteps.observe(step.length, performance.now() - stepStarted);
    }
    if (params.evaluateOnly) {
      const totalMs = round(performance.now() - started);
      return {
        text: "",
        stopReason: "max-tokens",
        stats: { promptTokens: prompt.length, evaluatedTokens: toEvaluate.length, reusedTokens, generatedTokens: 0, queueMs: Math.round(queueMs), ttftMs: totalMs, totalMs },
      };
    }

    const generation = await this.generate(
      loaded,
      sequence.evaluate(toEvaluate.slice(body.length), { temperature: params.temperature ?? 0, yieldEogToken: true }),
      params,
      signal,
      onToken,
      started,
    );
    return {
      text: generation.text,
      stopReason: generation.stopReason,
      stats: {
        promptTokens: prompt.length,
        evaluatedTokens: toEvaluate.length,
        reusedTokens,
        generatedTokens: generation.generatedTokens,
        queueMs: Math.round(queueMs),
        ttftMs: round(generation.ttftMs),
        totalMs: round(performance.now() - started),
      },
    };
  }

  /**
   * The completion cache this prompt continues, or the least recently used one (kvChoice.ts); marked used. A
   * prefetch does not take the cache of the last keystroke from it (choosePrefetchCache).
   */
  private completionSequenceFor(loaded: Loaded, prompt: Token[], priority: Priority): LlamaContextSequence {
    const kept = loaded.completionSequences.map((entry) => ({ items: entry.sequence.contextTokens, usedAt: entry.usedAt }));
    const chosen = loaded.completionSequences[loaded.cacheChoice.choose(kept, prompt, priority)];
    chosen.usedAt = ++this.completionUses;
    return chosen.sequence;
  }

  async chatTurn(params: ChatParams, signal: AbortSignal, onToken: TokenSink, queueMs: number): Promise<ChatResult> {
    const loaded = this.require();
    const lib = await this.library();
    const started = performance.now();
    const sequence = loaded.chatSequence;
    const session = this.chatSessionFor(lib, loaded, params);

    const meter = sequence.tokenMeter;
    const inputBefore = meter.usedInputTokens;
    const outputBefore = meter.usedOutputTokens;
    let ttftMs = -1;
    const scanner = new StopScanner(params.stop ?? []);
    let stoppedByString = false;
    const controller = new AbortController();
    const abortFromOuter = () => controller.abort(signal.reason);
    signal.addEventListener("abort", abortFromOuter, { once: true });
    const timer = params.timeLimitMs ? setTimeout(() => controller.abort("time-limit"), params.timeLimitMs) : undefined;
    let decoded = "";
    try {
      await session.prompt(params.message, {
        maxTokens: params.maxTokens,
        temperature: params.temperature ?? 0,
        signal: controller.signal,
        stopOnAbortSignal: true,
        onTextChunk: (chunk) => {
          if (ttftMs < 0) ttftMs = performance.now() - started;
          decoded += chunk;
          const { delta, stopped } = scanner.update(decoded);
          if (delta) onToken(delta);
          if (stopped && !controller.signal.aborted) {
            stoppedByString = true;
            controller.abort("stop-string");
          }
        },
      });
    } catch (error) {
      this.dropChat();
      if (signal.aborted) throw cancelledError(signal);
      throw error;
    } finally {
      signal.removeEventListener("abort", abortFromOuter);
      if (timer) clearTimeout(timer);
    }
    if (signal.aborted) {
      // The session kept the partial answer; the host decides whether it stays in the history.
      this.dropChat();
      throw cancelledError(signal);
    }
    const tail = scanner.flush();
    if (tail) onToken(tail);

    const generatedTokens = meter.usedOutputTokens - outputBefore;
    const evaluatedTokens = meter.usedInputTokens - inputBefore;
    const promptTokens = Math.max(0, sequence.nextTokenIndex - generatedTokens);
    let stopReason: StopReason = "eog";
    if (stoppedByString) stopReason = "stop-string";
    else if (controller.signal.aborted) stopReason = "time-limit";
    else if (generatedTokens >= params.maxTokens) stopReason = "max-tokens";
    if (stoppedByString) this.dropChat(); // the kept state holds text past the stop string
    const stats: RequestStats = {
      promptTokens,
      evaluatedTokens,
      reusedTokens: Math.max(0, promptTokens - evaluatedTokens),
      generatedTokens,
      queueMs: Math.round(queueMs),
      ttftMs: round(ttftMs < 0 ? performance.now() - started : ttftMs),
      totalMs: round(performance.now() - started),
    };
    return { text: scanner.text, stopReason, stats };
  }

  private chatSessionFor(lib: NodeLlamaCpp, loaded: Loaded, params: ChatParams): LlamaChatSession {
    const current = this.chat;
    if (
      current &&
      current.conversationId === params.conversationId &&
      current.systemPrompt === params.systemPrompt &&
      sameHistory(current.session.getChatHistory(), params.history)
    ) {
      return current.session;
    }
    this.dropChat();
    const session = new lib.LlamaChatSession({
      contextSequence: loaded.chatSequence,
      systemPrompt: params.systemPrompt,
      autoDisposeSequence: false,
    });
    this.sessions.add(session);
    session.onDispose.createListener(() => this.sessions.delete(session));
    const history: ChatHistoryItem[] = [...session.getChatHistory()];
    for (const message of params.history) {
      if (message.role === "system") history.push({ type: "system", text: message.text });
      else if (message.role === "user") history.push({ type: "user", text: message.text });
      else history.push({ type: "model", response: [message.text] });
    }
    session.setChatHistory(history);
    this.chat = { conversationId: params.conversationId, session, systemPrompt: params.systemPrompt };
    return session;
  }

  /** Forgets the kept conversation and frees its session (the session holds a listener on the chat sequence). */
  private dropChat(): void {
    const current = this.chat;
    this.chat = undefined;
    if (current && !current.session.disposed) current.session.dispose({ disposeSequence: false });
  }

  private completionPrompt(loaded: Loaded, params: CompleteParams): Token[] {
    const { model } = loaded;
    const tokens: Token[] = [];
    if (model.tokens.shouldPrependBosToken && model.tokens.bos != null) tokens.push(model.tokens.bos);
    if (params.prompt) {
      // No spread: a huge piece (a minified file) would overflow the call stack.
      for (const piece of params.prompt) for (const token of this.pieceTokens(loaded, piece)) tokens.push(token);
    } else if (params.infill) {
      const { prefix, suffix, middle } = model.tokens.infill;
      if (prefix == null || suffix == null || middle == null) {
        throw new EngineError("no-infill", `${loaded.info.name} has no fill-in-the-middle tokens; it can chat but not complete code.`);
      }
      return tokens.concat(prefix, model.tokenize(params.infill.prefix, false), suffix, model.tokenize(params.infill.suffix, false), middle);
    } else {
      throw new EngineError("bad-request", "A completion needs either `infill` or `prompt`.");
    }
    if (tokens.length === 0) throw new EngineError("bad-request", "The prompt is empty.");
    return tokens;
  }

  private pieceTokens(loaded: Loaded, piece: PromptPiece): readonly Token[] {
    const { model } = loaded;
    if ("text" in piece) {
      if (piece.text.length < CACHED_PIECE_CHARS) return model.tokenize(piece.text, false);
      let tokens = loaded.pieceTokens.get(piece.text);
      if (!tokens) loaded.pieceTokens.set(piece.text, (tokens = model.tokenize(piece.text, false)));
      return tokens;
    }
    const tokens = model.tokenize(piece.special, true);
    if (tokens.length !== 1 || !model.isSpecialToken(tokens[0])) {
      throw new EngineError("bad-request", `The model has no special token ${JSON.stringify(piece.special)}.`);
    }
    return tokens;
  }

  private async generate(
    loaded: Loaded,
    tokens: AsyncGenerator<Token, void, void | Token | Token[]>,
    params: CompleteParams,
    signal: AbortSignal,
    onToken: TokenSink,
    started: number,
  ): Promise<{ text: string; stopReason: StopReason; generatedTokens: number; ttftMs: number }> {
    const { model } = loaded;
    const scanner = new StopScanner(params.stop ?? [], params.stopLines);
    const generated: Token[] = [];
    const deadline = params.timeLimitMs ? started + params.timeLimitMs : Infinity;
    let ttftMs = -1;
    let stopReason: StopReason = "max-tokens";
    for await (const token of tokens) {
      if (ttftMs < 0) ttftMs = performance.now() - started;
      if (signal.aborted) {
        stopReason = "cancelled";
        break;
      }
      if (model.isEogToken(token)) {
        stopReason = "eog";
        break;
      }
      generated.push(token);
      const { delta, stopped } = scanner.update(model.detokenize(generated, false));
      if (delta) onToken(delta);
      if (stopped) {
        stopReason = "stop-string";
        break;
      }
      if (generated.length >= params.maxTokens) {
        stopReason = "max-tokens";
        break;
      }
      if (performance.now() >= deadline) {
        stopReason = "time-limit";
        break;
      }
    }
    if (stopReason === "cancelled" || signal.aborted) throw cancelledError(signal);
    const tail = scanner.flush();
    if (tail) onToken(tail);
    return { text: scanner.text, stopReason, generatedTokens: generated.length, ttftMs: ttftMs < 0 ? performance.now() - started : ttftMs };
  }

  private require(): Loaded {
    if (!this.loaded) throw new EngineError("no-model", "No model is loaded.");
    return this.loaded;
  }

  private async library(): Promise<NodeLlamaCpp> {
    this.lib ??= await import("node-llama-cpp");
    return this.lib;
  }
}

function sameHistory(kept: readonly ChatHistoryItem[], wanted: readonly ChatMessage[]): boolean {
  const turns = kept.filter((item) => item.type !== "system" || wanted.some((m) => m.role === "system"));
  const withoutSystem = kept.filter((item) => item.type !== "system");
  const candidates = turns.length === wanted.length ? turns : withoutSystem;
  if (candidates.length !== wanted.length) return false;
  return candidates.every((item, i) => {
    const message = wanted[i];
    if (item.type === "user") return message.role === "user" && item.text === message.text;
    if (item.type === "model") return message.role === "assistant" && item.response.filter((r) => typeof r === "string").join("") === message.text;
    return message.role === "system" && item.text === message.text;
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

