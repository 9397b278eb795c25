// Freehold's host: everything past the cheap entry (src/vscode/entry.ts), loaded on first use from dist/host.js —
// engines, the completion pipeline and context engine, chat, refactors and models. The inference worker starts
// on first need, not here.
import * as vscode from "vscode";
import { EngineClient, type EngineStatus } from "./engine/client";
import type { Engine } from "./engine/engine";
import { RemoteEngine } from "./engine/remote/remoteEngine";
import { askServerConsent, serverApiKey, setServerApiKey } from "./vscode/remoteServer";
import type { LoadModelParams } from "./engine/protocol";
import type { ChatViewProvider } from "./vscode/chat/chatViewProvider";
import type { SetupViewProvider } from "./vscode/models/setupView";
import { registerChat } from "./vscode/chat/register";
import type { StatusBar } from "./vscode/statusBar";
import { setCompletionsEnabled } from "./vscode/completion/completionSwitches";
import { anyModelConfigured, debugEnabled, completionSettings, roleModelsFromSettings, roleServersFromSettings, ROLE_MODEL_SETTINGS } from "./vscode/settings";
import { noModelMessage, RoleEngines, type ChatRoleEngine } from "./models/roleEngines";
import { RoleProblems } from "./vscode/models/roleStatus";
import { migrateRoleSettings } from "./vscode/models/migrateSettings";
import { CompletionPipeline } from "./completion/pipeline";
import { EditorContext } from "./vscode/completion/editorContext";
import { InlineCompletionProvider } from "./vscode/completion/inlineProvider";
import { refreshDelayForTests } from "./vscode/completion/testHooks";
import { showLastPrompt } from "./vscode/completion/showLastPrompt";
import { WarmAhead } from "./vscode/completion/warmAhead";
import { EditReview } from "./vscode/review/editReview";
import { registerModels, type ModelsLayer } from "./vscode/models";
import { registerRefactor, type RefactorApi } from "./vscode/refactor/register";

/** What the extension exports: the integration tests drive the engine through it. */
export interface FreeholdApi {
  /** The completion role's engine (also chat's while both roles use one model). */
  readonly engine: EngineClient;
  /** Both roles' engines: `roles.chatEngine` serves chat, Explain, refactors and Generate Tests, `roles.completionEngine` ghost text (local or remote). */
  readonly roles: RoleEngines;
  /** The status bar item's text and tooltip now. */
  readonly statusText: () => { text: string; tooltip: string };
  /** Starts the worker and loads the configured model. */
  ensureModel(): ReturnType<EngineClient["ensureModel"]>;
  readonly completions: { pipeline: CompletionPipeline; provider: InlineCompletionProvider };
  /** Diff review of proposed edits (chat "Apply", refactor commands). */
  readonly review: EditReview;
  /** Refactor commands, prompt files and the last refactor prompt. */
  readonly refactor: RefactorApi;
  /** The chat side panel. */
  readonly chat: ChatViewProvider;
}

/** What the entry made at activation and hands over: the log and the status bar item. */
export interface HostShell {
  readonly log: vscode.LogOutputChannel;
  readonly statusBar: StatusBar;
}

/** The host's parts the entry's registrations (views, inline provider) forward to. */
export interface Host {
  readonly api: FreeholdApi;
  readonly views: { readonly chat: ChatViewProvider; readonly setup: SetupViewProvider };
}

let roleEngines: RoleEngines | undefined;

export function startHost(context: vscode.ExtensionContext, { log, statusBar }: HostShell): Host {
  let chatPanel: ChatViewProvider | undefined;
  let models: ModelsLayer | undefined;
  let warmAhead: WarmAhead | undefined;
  let previousState: string | undefined;

  const problems = new RoleProblems((lines) => statusBar.setProblems(lines), (line) => log.warn(line));
  const workerPath = vscode.Uri.joinPath(context.extensionUri, "dist", "worker.mjs").fsPath;
  let roles: RoleEngines | undefined;
  const onRoleStatus = (role: "completion" | "chat", engine: Engine, status: EngineStatus) => {
    if (status.state === "error" && status.message) log.warn(`[${role}] ${status.message}`);
    // A local worker's news about a role a server serves now is not what the user sees.
    if (roles && role === "completion" && roles.completionServing !== engine) return;
    const shared = roles ? roles.chatServing === roles.completionServing : true;
    if (role === "completion") {
      // A model that has just loaded: warm the file the user is in, so the first keystroke is not cold.
      if (status.state === "ready" && previousState === "loading") warmAhead?.warm(vscode.window.activeTextEditor, "model loaded");
      previousState = status.state;
      statusBar.show(status, anyModelConfigured());
      if (shared) chatPanel?.postStatus(status.state, status.model?.name, status.message);
      if (engine.kind === "local") models?.onStatus(status);
      problems.check("completion", status);
      if (shared) problems.check("chat", status);
    } else if (roles?.chatServing === engine && !shared) {
      statusBar.showChat(status);
      chatPanel?.postStatus(status.state, status.model?.name, status.message);
      models?.onChatStatus(status);
      problems.check("chat", status);
    }
  };
  roles = new RoleEngines((role) => {
    const engine: EngineClient = new EngineClient({
      workerPath,
      onStatus: (status) => onRoleStatus(role, engine, status),
      noModelMessage: () => noModelMessage(roles?.configured ?? {}),
      log: (line) => (debugEnabled() ? log.info(`${role === "chat" ? "[chat worker] " : ""}${line}`) : log.debug(line)),
    });
    return engine;
  }, (server) => {
    const engine: RemoteEngine = new RemoteEngine({
      server,
      windowId: vscode.env.sessionId,
      apiKey: () => serverApiKey(context.secrets, server.url),
      consent: (host) => askServerConsent(context.globalState, host),
      onStatus: (status) => onRoleStatus(roles?.remote("completion") === engine ? "completion" : "chat", engine, status),
      log: (line) => log.info(`[server] ${line}`),
    });
    return engine;
  });
  roleEngines = roles;
  const client = roles.completion;
  /** The models the settings (as Workspace Trust allows them) ask for, logged so a user can see what counts. */
  const applyRoleModels = () => {
    const models = roleModelsFromSettings();
    const describe = (model: LoadModelParams | undefined) => (model ? `${model.path} (context ${model.contextSize}, threads ${model.threads ?? "auto"}, GPU layers ${model.gpuLayers})` : "none");
    const { servers, problems: serverProblems } = roleServersFromSettings();
    for (const line of serverProblems) log.warn(line);
    if (serverProblems.length) void vscode.window.showWarningMessage(`Freehold: ${serverProblems.join(" ")}`);
    log.info(`model settings: completions ${servers.completion ? `server ${servers.completion.url} (${servers.completion.kind})` : describe(models.completion)}; chat ${servers.chat ? `server ${servers.chat.url} (${servers.chat.kind})` : models.chat ? describe(models.chat) : "the completion model"}`);
    roles.setModels(models);
    roles.setServers(servers);
    statusBar.show(roles.completionServing.status, anyModelConfigured());
    statusBar.showChat(roles.chatServing !== roles.completionServing ? roles.chatServing.status : undefined);
    problems.reset();
  };
  applyRoleModels();
  void migrateRoleSettings(context.globalState, (line) => log.info(line));

  const modelSettingsChanged = () => {
    const wasLoaded = roles.clients().some((engine) => engine.model !== undefined);
    applyRoleModels();
    if (wasLoaded || roles.remote("completion") || roles.remote("chat")) loadModel();
    else statusBar.show(roles.completionServing.status, anyModelConfigured());
  };

  const loadModel = () => {
    const engines = new Set<Engine>();
    for (const engine of roles.clients()) {
      if (engine === roles.completion && roles.remote("completion") && !(roles.chatServing === roles.completion)) continue;
      if (roles.configured.completion || engine !== roles.completion) engines.add(engine);
    }
    for (const role of ["completion", "chat"] as const) {
      const remote = roles.remote(role);
      if (remote) engines.add(remote);
    }
    for (const engine of engines) engine.ensureModel().catch((error: unknown) => log.error(error instanceof Error ? error.message : String(error)));
  };

  const debugLog = (line: string) => {
    if (debugEnabled()) log.info(`[completion] ${line} [${roles.completionEngine.kind === "remote" ? "server" : "worker"} completions: ${roles.completionEngine.requestCounts.complete ?? 0}]`);
  };
  const editorContext = new EditorContext(vscode.Uri.joinPath(context.extensionUri, "node_modules", "@vscode", "tree-sitter-wasm", "wasm").fsPath, (line) => log.warn(line));
  const pipeline = new CompletionPipeline(roles.completionEngine, editorContext.source(), () => completionSettings().options, debugLog);
  const inline = new InlineCompletionProvider(pipeline, () => completionSettings(), debugLog, refreshDelayForTests(context.extensionMode));
  inline.onShown = (t) => statusBar.setShown(t.totalMs, `debounce ${t.debounceMs}, context ${t.contextMs}, queue ${t.queueMs}, first token ${t.firstTokenMs}, rest ${t.restMs} ms`);
  warmAhead = new WarmAhead(pipeline, () => roles.completionEngine.model !== undefined, debugLog, (why) => inline.leavePlace(why));

  models = registerModels(context, {
    client,
    roles,
    log: (line) => log.info(line),
    setStatusDetail: (lines) => statusBar.setDetail(lines),
    setMemoryProblem: (line) => problems.setMemory(line),
  });
  const review = new EditReview((line) => log.info(line));
  const chatEngine: ChatRoleEngine = roles.chatEngine;
  const chatView = registerChat(context, { engine: chatEngine, review, loadModel, log });
  chatPanel = chatView;
  const refactor = registerRefactor(context, chatEngine, review, (line) => log.info(line));
  context.subscriptions.push(
    review,
    editorContext,
    warmAhead,
    vscode.commands.registerCommand("freehold.showLog", () => log.show()),
    inline,
    vscode.commands.registerCommand("freehold.triggerInline", () => vscode.commands.executeCommand("editor.action.inlineSuggest.trigger")),
    vscode.commands.registerCommand("freehold.acceptLine", async () => {
      inline.markLineAccepted();
      await vscode.commands.executeCommand("editor.action.inlineSuggest.acceptNextLine");
    }),
    // Tab in the moment a streamed suggestion that has ended is off screen (package.json's keybinding).
    vscode.commands.registerCommand("freehold.acceptRefreshingSuggestion", async () => {
      if (!(await inline.acceptRefreshing())) await vscode.commands.executeCommand("tab");
    }),
    vscode.commands.registerCommand("freehold.showLastPrompt", () => showLastPrompt(pipeline.lastPrompt)),
    vscode.commands.registerCommand("freehold.toggleCompletions", () => setCompletionsEnabled(!vscode.workspace.getConfiguration("freehold.completions").get<boolean>("enabled", true))),
    vscode.commands.registerCommand("freehold.loadModel", async () => {
      if (!anyModelConfigured()) {
        const choice = await vscode.window.showWarningMessage("Freehold has no model yet.", "Choose a Model", "Open Settings");
        if (choice === "Choose a Model") await vscode.commands.executeCommand("freehold.selectModel");
        else if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", "freehold.completions.model");
        return;
      }
      // Asking again retries a load that failed (a failed load is otherwise not retried by itself).
      applyRoleModels();
      loadModel();
    }),
    vscode.commands.registerCommand("freehold.setServerApiKey", () => setServerApiKey(context.secrets, [roleServersFromSettings().servers.completion, roleServersFromSettings().servers.chat])),
    vscode.commands.registerCommand("freehold.restartWorker", async () => {
      await Promise.all(roles.clients().map((engine) => engine.stopWorker()));
      loadModel();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (ROLE_MODEL_SETTINGS.some((section) => event.affectsConfiguration(section))) modelSettingsChanged();
    }),
    // Trusting the workspace can change which model settings count (trust.ts).
    vscode.workspace.onDidGrantWorkspaceTrust(() => modelSettingsChanged()),
    { dispose: () => void roles.dispose() },
  );

  return {
    api: { engine: client, roles, statusText: () => statusBar.shownText, ensureModel: () => client.ensureModel(), completions: { pipeline, provider: inline }, review, refactor, chat: chatView },
    views: { chat: chatView, setup: models.setupView },
  };
}

export async function stopHost(): Promise<void> {
  await roleEngines?.dispose();
  roleEngines = undefined;
}
