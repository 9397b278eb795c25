// Two models by role (DESIGN "Model roles"): completions and chat each get an inference worker of their own,
// built on the engine client's public API, so each role keeps its own model, context and KV state, a crash or
// idle unload of one leaves the other alone, and the worker stays a one-model process. When both roles name the
// same file, chat shares the completion worker (the file is loaded once).
// A role may instead use a team's server (issue 16): then a RemoteEngine serves it, and `completionEngine` /
// `chatEngine` (stable objects the pipeline, chat and refactors hold) forward to whichever engine serves the role
// now, so switching between local and remote needs no reload. Both roles on one server share one remote engine.
import { resolve } from "node:path";
import type { EngineClient, EngineStatus, EnsureModelOptions, RequestOptions } from "../engine/client";
import type { Engine } from "../engine/engine";
import type { EventOf, Method, ModelInfo, ParamsOf, ResultOf, LoadModelParams } from "../engine/protocol";
import { sameServer, type RemoteServerConfig } from "../engine/remote/serverConfig";
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
  ensureModel(options?: EnsureModelOptions): Promise<ModelInfo>;
  chat(params: ParamsOf<"chat">, options?: RequestOptions<EventOf<"chat">>): Promise<ResultOf<"chat">>;
  tokenize(text: string, special?: boolean): Promise<ResultOf<"tokenize">>;
}

export function sameModelFile(a: LoadModelParams | undefined, b: LoadModelParams | undefined): boolean {
  return a !== undefined && b !== undefined && resolve(a.path) === resolve(b.path);
}

/** Each role's server; undefined: the role runs locally. */
export interface RoleServers {
  completion?: RemoteServerConfig;
  chat?: RemoteServerConfig;
}

export type RemoteFactory = (server: RemoteServerConfig, roles: ModelRole[]) => Engine & { readonly server: RemoteServerConfig };

export class RoleEngines {
  readonly completion: EngineClient;
  private chatOwn: EngineClient | undefined;
  private models: RoleModels = {};
  private remoteCompletion: (Engine & { readonly server: RemoteServerConfig }) | undefined;
  private remoteChat: (Engine & { readonly server: RemoteServerConfig }) | undefined;
  /** Stable across model changes: the chat consumers hold this, it forwards to whichever engine serves chat now. */
  readonly chatEngine: ChatRoleEngine;
  /** Stable across model and engine changes: the completion pipeline holds this. */
  readonly completionEngine: Engine;

  constructor(
    private readonly create: (role: ModelRole) => EngineClient,
    private readonly createRemote?: RemoteFactory,
  ) {
    this.completion = create("completion");
    this.chatEngine = forwarding(() => this.chatServing);
    this.completionEngine = forwarding(() => this.completionServing);
  }

  /** The engine serving completions now: the role's server, else the local completion worker. */
  get completionServing(): Engine {
    return this.remoteCompletion ?? this.completion;
  }

  /** The engine serving chat now: chat's server, else its local worker (or the completion worker it shares). */
  get chatServing(): Engine {
    return this.remoteChat ?? this.chat;
  }

  /**
   * Sets each role's server (undefined: local). An unchanged server keeps its engine (and its probe and
   * connections); both roles on the same server share one engine.
   */
  setServers(servers: RoleServers): void {
    const previous = [this.remoteCompletion, this.remoteChat];
    const reuse = (config: RemoteServerConfig | undefined, roles: ModelRole[]) => {
      if (!config) return undefined;
      const kept = previous.find((engine) => engine && sameServer(engine.server, config));
      if (kept) return kept;
      if (!this.createRemote) throw new Error("RoleEngines: no remote engine factory");
      return this.createRemote(config, roles);
    };
    this.remoteCompletion = reuse(servers.completion, servers.chat && sameServer(servers.chat, servers.completion) ? ["completion", "chat"] : ["completion"]);
    this.remoteChat = servers.chat && sameServer(servers.chat, servers.completion) ? this.remoteCompletion : reuse(servers.chat, ["chat"]);
    for (const engine of new Set(previous)) {
      if (engine && engine !== this.remoteCompletion && engine !== this.remoteChat) void engine.dispose();
    }
  }

  /** The role's server engine, if the role is remote. */
  remote(role: ModelRole): Engine | undefined {
    return role === "completion" ? this.remoteCompletion : this.remoteChat;
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
    const remotes = new Set([this.remoteCompletion, this.remoteChat].filter((e): e is NonNullable<typeof e> => e !== undefined));
    this.remoteCompletion = this.remoteChat = undefined;
    await Promise.all([...this.clients().map((client) => client.dispose()), ...[...remotes].map((engine) => engine.dispose())]);
    this.chatOwn = undefined;
  }
}

/** An Engine that forwards every call to whichever engine `target` names at the time of the call. */
function forwarding(target: () => Engine): Engine {
  return {
    get kind() {
      return target().kind;
    },
    get status() {
      return target().status;
    },
    get model() {
      return target().model;
    },
    get requestCounts(): Partial<Record<Method, number>> {
      return target().requestCounts;
    },
    ensureModel: (options) => target().ensureModel(options),
    complete: (params, options) => target().complete(params, options),
    chat: (params, options) => target().chat(params, options),
    tokenize: (text, special) => target().tokenize(text, special),
    // The engines behind it belong to RoleEngines, which disposes them.
    dispose: async () => undefined,
  };
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
