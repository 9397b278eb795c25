// The one contract between the extension host (or the CLI) and the inference worker.
// Every request, its result and the events it streams are declared here; both sides import this file.

export type GpuLayersSetting = number | "auto";

export interface LoadModelParams {
  path: string;
  contextSize: number;
  gpuLayers: GpuLayersSetting;
  /** CPU threads for evaluation; defaults to the machine's cores (never node-llama-cpp's max(4, cores)). */
  threads?: number;
  batchSize?: number;
  /** Which llama.cpp binary to load; the worker's FREEHOLD_LLAMA_BUILD environment variable overrides it. Default "prebuilt" until the native build is measured on a quiet machine (see the bench). */
  llamaBuild?: LlamaBuildChoice;
}

/** "auto": the local native build when `npm run build:native-llama` made one, else the prebuilt binary. */
export type LlamaBuildChoice = "auto" | "prebuilt" | "native";

export interface ModelInfo {
  path: string;
  name: string;
  architecture: string;
  sizeBytes: number;
  trainContextSize: number;
  contextSize: number;
  /** KV caches the engine keeps for completions (kvChoice.ts); undefined: one. */
  completionCaches?: number;
  /** The model carries FIM tokens, so it can serve inline completions. */
  infill: boolean;
  /** The special-token texts of the model's FIM vocabulary, where present. */
  fimTokens: { prefix?: string; suffix?: string; middle?: string };
  /** Which known FIM/repo special-token texts the vocabulary has (decides the prompt form). */
  specialTokens: string[];
  /** The file carries a chat template (tokenizer.chat_template): an instruct/chat model. */
  chatTemplate?: boolean;
  gpu: string | false;
  gpuLayers: number;
  threads: number;
  loadMs: number;
  /** The llama.cpp binary that loaded. */
  llamaBuild?: "native" | "prebuilt";
  /** llama.cpp's system info line (the CPU features the loaded binary uses). */
  systemInfo?: string;
}

/** A prompt piece: plain text (tokenised without special tokens) or one special token given by its text. */
export type PromptPiece = { text: string } | { special: string };

export interface GenerationLimits {
  maxTokens: number;
  /**
   * Wall-clock cap of the generation, counted from when the worker starts the job (time waiting in its lane's
   * queue is not counted). The worker stops the job at the limit and answers with what it has.
   */
  timeLimitMs?: number;
  /** Generation stops before any of these strings; the stop string is not part of the result. */
  stop?: string[];
  temperature?: number;
}

export type Priority = "interactive" | "prefetch" | "background";

export interface CompleteParams extends GenerationLimits {
  /** Either the model's own prefix/suffix infill form... */
  infill?: { prefix: string; suffix: string };
  /** ...or a prompt assembled by the caller (family-specific FIM forms). */
  prompt?: PromptPiece[];
  priority?: Priority;
  /** A newer request with the same key cancels the older one (one live keystroke completion). */
  supersedeKey?: string;
  /** Only bring the prompt into the KV cache (warm ahead); generate nothing. */
  evaluateOnly?: boolean;
  /** Line rules checked while streaming a multi-line completion (lines after the first), so generation stops where the text is of no more use. */
  stopLines?: LineStops;
}

export interface LineStops {
  /** Stop before a line equal to this one, trailing whitespace aside (the code already after the cursor); the line is not in the result. */
  equal?: string;
  /** Stop after a non-blank line indented by fewer characters than this (the end of the enclosing block, like llama-server's n_indent); the line is kept. */
  indentBelow?: number;
}

export interface RequestStats {
  promptTokens: number;
  /** Prompt tokens evaluated for this request. */
  evaluatedTokens: number;
  /** Prompt tokens taken from the KV cache instead of being evaluated. */
  reusedTokens: number;
  generatedTokens: number;
  queueMs: number;
  ttftMs: number;
  totalMs: number;
}

export type StopReason = "eog" | "stop-string" | "max-tokens" | "time-limit" | "cancelled";

export interface CompleteResult {
  text: string;
  stopReason: StopReason;
  stats: RequestStats;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  text: string;
}

export interface ChatParams extends GenerationLimits {
  conversationId: string;
  /** The turns before this one; when they match the worker's kept state, it is reused. */
  history: ChatMessage[];
  message: string;
  systemPrompt?: string;
}

export interface ChatResult {
  text: string;
  stopReason: StopReason;
  stats: RequestStats;
}

export interface TokenizeParams {
  text: string;
  /** Parse special-token texts as special tokens. */
  special?: boolean;
}

export type WorkerState = "idle" | "loading" | "ready" | "generating" | "error";

export interface WorkerStatus {
  state: WorkerState;
  model?: ModelInfo;
  pending: number;
  requestsServed: number;
  pid: number;
  rssBytes: number;
  lastError?: string;
  /** Chat sessions the worker holds (at most one: the current conversation's). */
  chatSessions: number;
}

/** Every request: method name → [params, result, streamed event]. */
export interface RequestMap {
  loadModel: [LoadModelParams, ModelInfo, { kind: "progress"; progress: number }];
  unloadModel: [Record<string, never>, { unloaded: boolean }, never];
  complete: [CompleteParams, CompleteResult, { kind: "token"; text: string }];
  chat: [ChatParams, ChatResult, { kind: "token"; text: string }];
  tokenize: [TokenizeParams, { tokens: number[]; count: number }, never];
  status: [Record<string, never>, WorkerStatus, never];
  shutdown: [Record<string, never>, { ok: true }, never];
}

export type Method = keyof RequestMap;
export type ParamsOf<M extends Method> = RequestMap[M][0];
export type ResultOf<M extends Method> = RequestMap[M][1];
export type EventOf<M extends Method> = RequestMap[M][2];

export type ErrorCode =
  | "cancelled"
  | "no-model"
  | "model-load-failed"
  | "no-infill"
  | "bad-request"
  | "worker-died"
  | "worker-unresponsive"
  | "timeout"
  | "internal"
  /** Remote engine: the server could not be reached (refused, unknown host, connect timeout). */
  | "server-unreachable"
  /** Remote engine: the server answered with an error, or the connection broke mid-answer. */
  | "server-error"
  /** Remote engine: the user declined to send code to a non-loopback server. */
  | "not-allowed";

export interface WireError {
  code: ErrorCode;
  message: string;
}

// Messages host → worker.
export type HostMessage =
  | { type: "request"; id: number; method: Method; params: unknown }
  | { type: "cancel"; id: number };

/** How often the worker says it is alive; the host declares it hung after several missed beats. */
export const HEARTBEAT_INTERVAL_MS = 1000;

// Messages worker → host.
//   started    the request left the queue and its work began (the host's watchdog for it starts here)
//   heartbeat  sent every HEARTBEAT_INTERVAL_MS while the worker's event loop runs
export type WorkerMessage =
  | { type: "ready"; pid: number }
  | { type: "started"; id: number }
  | { type: "heartbeat" }
  | { type: "event"; id: number; event: unknown }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; error: WireError };

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as { type?: unknown; id?: unknown };
  return (m.type === "request" || m.type === "cancel") && typeof m.id === "number";
}
