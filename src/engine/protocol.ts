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
  /** Wall-clock cap for the whole request, including waiting in the queue. */
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
  | "internal";

export interface WireError {
  code: ErrorCode;
  message: string;
}

// Messages host → worker.
export type HostMessage =
  | { type: "request"; id: number; method: Method; params: unknown }
  | { type: "cancel"; id: number };

// Messages worker → host.
export type WorkerMessage =
  | { type: "ready"; pid: number }
  | { type: "event"; id: number; event: unknown }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; error: WireError }
  | { type: "status"; status: WorkerStatus };

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
