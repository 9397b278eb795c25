// Two models by role (DESIGN "Model roles"): completions and chat each get an inference worker of their own,
// built on the engine client's public API, so each role keeps its own model, context and KV state, a crash or
// idle unload of one leaves the other alone, and the worker stays a one-model process. When both roles name the
// same file, chat shares the completion worker (the file is loaded once).
import { resolve } from "node:path";
import type { EngineClient, EngineStatus, RequestOptions } from "../engine/client";
import type { EventOf, LoadModelParams, ModelInfo, ParamsOf, ResultOf } from "../engine/protocol";
import type { ModelRole } from "./catalog";

export type { ModelRole } from "./catalog";

export interface RoleModels {
  completion?: LoadModelParams;
  /** Undefined: chat uses the completion model. */
  chat?: LoadModelParams;
}

/** What chat, Explain, refactors and Generate tests need from an engine. */
export interface ChatRoleEngine {
  readonly status: EngineStatus;
  readonly model: ModelInfo | undefined;
  ensureModel(): Promise<ModelInfo>;
  chat(params: ParamsOf<"chat">, options?: RequestOptions<EventOf<"chat">>): Promise<ResultOf<"chat">>;
  tokenize(text: string, special?: boolean): Promise<ResultOf<"tokenize">>;
}

export function sameModelFile(a: LoadModelParams | undefined, b: LoadModelParams | undefined): boolean {
  return a !== undefined && b !== undefined && resolve(a.path) === resolve(b.path);
}

export class RoleEngines {
  readonly completion: EngineClient;
  private chatOwn: EngineClient | undefined;
  private models: RoleModels = {};
  /** Stable across model changes: the chat consumers hold this, it forwards to whichever worker serves chat now. */
  readonly chatEngine: ChatRoleEngine;

  constructor(private readonly create: (role: ModelRole) => EngineClient) {
    this.completion = create("completion");
    const self = this;
    this.chatEngine = {
      get status() {
        return self.chat.status;
      },
      get model() {
        return self.chat.model;
      },
      ensureModel: () => self.chat.ensureModel(),
      chat: (params, options) => self.chat.chat(params, options),
      tokenize: (text, special) => self.chat.tokenize(text, special),
    };
  }

  /** The client that serves chat now: the completion worker when both roles use one file (or chat has none). */
  get chat(): EngineClient {
    return this.chatOwn ?? this.completion;
  }

  /** True when chat has a worker of its own. */
  get separate(): boolean {
    return this.chatOwn !== undefined;
  }

  get configured(): RoleModels {
    return this.models;
  }

  /**
   * Sets both roles' models; a worker whose model changed loads the new one on its next request. A chat model
   * that is the completion model's file (or none) shares the completion worker and stops chat's own.
   */
  setModels(models: RoleModels): void {
    this.models = models;
    this.completion.setModel(models.completion);
    const shared = !models.chat || sameModelFile(models.chat, models.completion);
    if (shared) {
      const own = this.chatOwn;
      this.chatOwn = undefined;
      void own?.dispose();
      return;
    }
    this.chatOwn ??= this.create("chat");
    this.chatOwn.setModel(models.chat);
  }

  /** Every distinct worker client, completion first. */
  clients(): EngineClient[] {
    return this.chatOwn ? [this.completion, this.chatOwn] : [this.completion];
  }

  async dispose(): Promise<void> {
    await Promise.all(this.clients().map((client) => client.dispose()));
    this.chatOwn = undefined;
  }
}

/**
 * What a request is told when its role has no model, naming the setting and the command that choose one. Only
 * the completion worker can lack one (chat has a worker of its own only with a model, and otherwise uses the
 * completion model), so a request there is either a completion or, with no chat model, a chat one.
 */
export function noModelMessage(configured: RoleModels): string {
  return configured.chat
    ? "No completion model is configured: the chat model does not serve completions. Choose one with “Freehold: Choose Completion Model…” (setting freehold.completions.model)."
    : "No model is configured. Choose one with “Freehold: Choose Completion Model…” (setting freehold.completions.model; chat uses it too unless freehold.chat.model names another).";
}

/** A role's problem with a loaded model, in one line, or undefined when the model suits the role. */
export function roleProblem(role: ModelRole, facts: { name: string; fim: boolean; chatTemplate: boolean }): { level: "error" | "warning"; message: string } | undefined {
  if (role === "completion" && !facts.fim) {
    return {
      level: "error",
      message: `${facts.name} has no fill-in-the-middle tokens, so it cannot be the completion model: choose a base (FIM) model for completions (it can still be the chat model).`,
    };
  }
  if (role === "chat" && !facts.chatTemplate) {
    return {
      level: "warning",
      message: `${facts.name} has no chat template (a base model?): chat answers and refactors will be poor. An instruct model suits chat better.`,
    };
  }
  return undefined;
}
