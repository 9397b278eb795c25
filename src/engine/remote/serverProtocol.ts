// What each server kind does for the remote engine: probe the server and its model, stream a raw completion of
// Freehold's own prompt, stream a chat answer, count tokens. One file per kind (llamaServer.ts, ollama.ts,
// openai.ts); the remote engine around them owns stops, time limits, cancellation, status and latency.
import type { ChatMessage, PromptPiece } from "../protocol";
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
