// What each server kind does for the remote engine: probe the server and its model, stream a raw completion of
// Freehold's own prompt, stream a chat answer, count tokens. One file per kind (llamaServer.ts, ollama.ts,
// openai.ts); the remote engine around them owns stops, time limits, cancellation, status and latency.
import { EngineError, type ChatMessage, type PromptPiece } from "../protocol";
import type { HttpCall } from "./http";

export type Send = (call: HttpCall) => Promise<unknown>;

export interface ServerFacts {
  /** The model's name as the server reports it. */
  modelName: string;
  architecture: string;
  /** Tokens one request may use (llama-server: per slot). */
  contextSize: number;
  trainContextSize: number;
  sizeBytes: number;
  /** Which of FAMILY_PROBE_TOKENS the model's vocabulary has as special tokens. */
  specialTokens: string[];
  /** Token ids of those special tokens, where the kind can send ids (llama-server). */
  specialIds: Record<string, number>;
  chatTemplate: boolean;
  /** Parallel slots (llama-server `--parallel`), 1 where unknown. */
  slots: number;
  /** Why the server cannot complete code with FIM (no FIM tokens, no raw completion endpoint), when it cannot. */
  noFim?: string;
}

export interface CompletionCall {
  pieces: PromptPiece[];
  maxTokens: number;
  temperature: number;
  stop: string[];
  /** Only bring the prompt into the server's cache. */
  evaluateOnly: boolean;
  timeLimitMs?: number;
  /** llama-server slot this editor window keeps its prompt in. */
  slot?: number;
  signal: AbortSignal;
  /** Each piece of generated text as it arrives; "stop" ends the request (a stop rule matched). */
  onText: (text: string) => "stop" | void;
}

export interface ChatCall {
  messages: Array<{ role: ChatMessage["role"]; content: string }>;
  maxTokens: number;
  temperature: number;
  stop: string[];
  timeLimitMs?: number;
  /** llama-server slot this editor window keeps its chat prompt in (apart from its completion slot where it can). */
  slot?: number;
  signal: AbortSignal;
  onText: (text: string) => "stop" | void;
}

/** What the server said about the finished request (fields it does not report stay undefined). */
export interface ServerOutcome {
  stop?: "eog" | "max-tokens" | "stop-string" | "time-limit";
  promptTokens?: number;
  /** Prompt tokens the server evaluated (llama-server `timings.prompt_n`). */
  evaluatedTokens?: number;
  /** Prompt tokens the server took from its cache. */
  cachedTokens?: number;
  generatedTokens?: number;
}

export interface ServerProtocol {
  probe(signal?: AbortSignal): Promise<ServerFacts>;
  complete(call: CompletionCall, facts: ServerFacts): Promise<ServerOutcome>;
  chat(call: ChatCall, facts: ServerFacts): Promise<ServerOutcome>;
  /** The token count of `text`, or undefined when the server cannot count (the caller estimates). */
  tokenize(text: string, special: boolean): Promise<number[] | undefined>;
}

/** The prompt as one string with special tokens written out, for servers that parse them in raw prompts. */
export function rawPrompt(pieces: readonly PromptPiece[]): string {
  return pieces.map((piece) => ("text" in piece ? piece.text : piece.special)).join("");
}

/** Parses one SSE line: the JSON of a `data:` line, "done" for `data: [DONE]`, undefined for anything else. */
export function sseData(line: string): unknown | "done" | undefined {
  if (!line.startsWith("data:")) return undefined;
  const data = line.slice(5).trim();
  if (!data) return undefined;
  if (data === "[DONE]") return "done";
  return JSON.parse(data);
}

/** An error object inside a stream (llama-server and vLLM send `{"error": …}` as an event). */
export function streamError(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const error = (value as { error?: unknown }).error;
  if (!error) return undefined;
  if (typeof error === "string") return error;
  if (typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return JSON.stringify(error);
}

/** One event of an OpenAI-style SSE stream (`/v1/completions` choices carry `text`, `/v1/chat/completions` a `delta`). */
interface OpenAiStreamChunk {
  choices?: Array<{ text?: string; delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  /** llama-server adds its own counts beside `usage`. */
  timings?: { prompt_n?: number; cache_n?: number } | null;
}

/**
 * The `onLine` of an OpenAI-style SSE stream (`/v1/completions` or `/v1/chat/completions`, any server): passes the
 * first choice's text to `onText` and fills `outcome` from `finish_reason`, `usage` and llama-server's `timings`.
 * The prompt tokens evaluated are the server's own count where it gives one (`timings.prompt_n`), else the prompt
 * less the cached tokens `usage` reports (vLLM); a server that reports neither leaves them undefined.
 */
export function openAiStreamReader(outcome: ServerOutcome, onText: (text: string) => "stop" | void): (line: string) => "stop" | void {
  return (line) => {
    const data = sseData(line);
    if (data === undefined || data === "done") return;
    const problem = streamError(data);
    if (problem) throw new EngineError("server-error", `The server: ${problem}`);
    const chunk = data as OpenAiStreamChunk;
    const choice = chunk.choices?.[0];
    const text = choice?.text ?? choice?.delta?.content;
    if (text && onText(text) === "stop") return "stop";
    if (choice?.finish_reason) outcome.stop = choice.finish_reason === "length" ? "max-tokens" : choice.finish_reason === "stop" ? "eog" : undefined;
    if (chunk.usage) {
      outcome.promptTokens = chunk.usage.prompt_tokens;
      outcome.generatedTokens = chunk.usage.completion_tokens;
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
      if (cached !== undefined) {
        outcome.cachedTokens = cached;
        if (outcome.promptTokens !== undefined) outcome.evaluatedTokens = outcome.promptTokens - cached;
      }
    }
    if (chunk.timings) {
      if (chunk.timings.prompt_n !== undefined) outcome.evaluatedTokens = chunk.timings.prompt_n;
      outcome.cachedTokens ??= chunk.timings.cache_n;
    }
  };
}
