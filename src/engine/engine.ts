// The engine interface the completion pipeline, chat and refactors use, with two implementations: the local
// inference worker (EngineClient, the default) and a team's server (RemoteEngine: llama-server, Ollama or an
// OpenAI-compatible server). Everything above this seam is the same for both.
import type { EngineStatus, EnsureModelOptions, RequestOptions } from "./client";
import type { EventOf, Method, ModelInfo, ParamsOf, ResultOf } from "./protocol";

export interface Engine {
  readonly kind: "local" | "remote";
  readonly status: EngineStatus;
  /** The model once loaded (local) or probed (remote). */
  readonly model: ModelInfo | undefined;
  /** Requests sent, by method (a test can assert that no model call happened). */
  readonly requestCounts: Partial<Record<Method, number>>;
  ensureModel(options?: EnsureModelOptions): Promise<ModelInfo>;
  complete(params: ParamsOf<"complete">, options?: RequestOptions<EventOf<"complete">>): Promise<ResultOf<"complete">>;
  chat(params: ParamsOf<"chat">, options?: RequestOptions<EventOf<"chat">>): Promise<ResultOf<"chat">>;
  tokenize(text: string, special?: boolean): Promise<ResultOf<"tokenize">>;
  dispose(): Promise<void>;
}
