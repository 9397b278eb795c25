// Freehold's extension host entry: cheap activation; the inference worker starts on first need.
import * as vscode from "vscode";
import { EngineClient, type EngineStatus } from "./engine/client";
import type { ChatViewProvider } from "./vscode/chat/chatViewProvider";
import { registerChat } from "./vscode/chat/register";
import { StatusBar } from "./vscode/statusBar";
import { anyModelConfigured, debugEnabled, completionSettings, roleModelsFromSettings, ROLE_MODEL_SETTINGS } from "./vscode/settings";
import { RoleEngines, type ChatRoleEngine } from "./models/roleEngines";
import { RoleProblems } from "./vscode/models/roleStatus";
import { migrateRoleSettings } from "./vscode/models/migrateSettings";
import { CompletionPipeline } from "./completion/pipeline";
import { EditorContext } from "./vscode/completion/editorContext";
import { InlineCompletionProvider } from "./vscode/completion/inlineProvider";
import { showLastPrompt } from "./vscode/completion/showLastPrompt";
import { toDocumentPosition } from "./vscode/completion/documentPosition";
import { EditReview } from "./vscode/review/editReview";
import { registerModels, type ModelsLayer } from "./vscode/models";
import { registerRefactor, type RefactorApi } from "./vscode/refactor/register";

/** What the extension exports: the integration tests drive the engine through it. */
export interface FreeholdApi {
  /** The completion role's engine (also chat's while both roles use one model). */
  readonly engine: EngineClient;
  /** Both roles' engines: `roles.chat` serves chat, Explain, refactors and Generate Tests. */
  readonly roles: RoleEngines;
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

let roleEngines: RoleEngines | undefined;

export function activate(context: vscode.ExtensionContext): FreeholdApi {
  const log = vscode.window.createOutputChannel("Freehold", { log: true });
  const statusBar = new StatusBar();
  let chatPanel: ChatViewProvider | undefined;
  let models: ModelsLayer | undefined;

  const problems = new RoleProblems((lines) => statusBar.setProblems(lines), (line) => log.warn(line));
  const workerPath = vscode.Uri.joinPath(context.extensionUri, "dist", "worker.mjs").fsPath;
  let roles: RoleEngines | undefined;
  const onRoleStatus = (role: "completion" | "chat", engine: EngineClient, status: EngineStatus) => {
    if (status.state === "error" && status.message) log.warn(`[${role}] ${status.message}`);
    const shared = !roles?.separate;
    if (role === "completion") {
      statusBar.show(status, anyModelConfigured());
      if (shared) chatPanel?.postStatus(status.state, status.model?.name, status.message);
      models?.onStatus(status);
      problems.check("completion", status);
      if (shared) problems.check("chat", status);
    } else if (roles?.chat === engine) {
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
      log: (line) => (debugEnabled() ? log.info(`${role === "chat" ? "[chat worker] " : ""}${line}`) : log.debug(line)),
    });
    return engine;
  });
  roleEngines = roles;
  const client = roles.completion;
  const applyRoleModels = () => {
    roles.setModels(roleModelsFromSettings());
    statusBar.showChat(roles.separate ? roles.chat.status : undefined);
    problems.reset();
  };
  applyRoleModels();
  void migrateRoleSettings(context.globalState, (line) => log.info(line));

  const loadModel = () => {
    for (const engine of roles.clients()) {
      if (roles.configured.completion || engine !== roles.completion) engine.ensureModel().catch((error: unknown) => log.error(error instanceof Error ? error.message : String(error)));
    }
  };

  const debugLog = (line: string) => {
    if (debugEnabled()) log.info(`[completion] ${line} [worker completions: ${client.requestCounts.complete ?? 0}]`);
  };
  const editorContext = new EditorContext(vscode.Uri.joinPath(context.extensionUri, "node_modules", "@vscode", "tree-sitter-wasm", "wasm").fsPath, (line) => log.warn(line));
  const pipeline = new CompletionPipeline(client, editorContext.source(), completionSettings().options, debugLog);
  const inline = new InlineCompletionProvider(pipeline, () => completionSettings(), debugLog);
  const warmController = { current: undefined as AbortController | undefined };
  const warm = (editor: vscode.TextEditor | undefined) => {
    if (!editor || !client.model || editor.document.uri.scheme === "output") return;
    warmController.current?.abort();
    const controller = new AbortController();
    warmController.current = controller;
    void pipeline
      .warm(toDocumentPosition(editor.document, editor.selection.active), controller.signal)
      .then((stats) => stats && debugLog(`warmed ${editor.document.fileName}: ${stats.evaluatedTokens} tokens evaluated, ${stats.reusedTokens} reused in ${stats.totalMs} ms`))
      .catch(() => undefined);
  };

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
    log,
    statusBar,
    review,
    editorContext,
    vscode.commands.registerCommand("freehold.showLog", () => log.show()),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: "**" }, inline),
    vscode.commands.registerCommand("freehold.triggerInline", () => vscode.commands.executeCommand("editor.action.inlineSuggest.trigger")),
    vscode.commands.registerCommand("freehold.acceptLine", async () => {
      inline.markLineAccepted();
      await vscode.commands.executeCommand("editor.action.inlineSuggest.acceptNextLine");
    }),
    vscode.commands.registerCommand("freehold.showLastPrompt", () => showLastPrompt(pipeline.lastPrompt)),
    vscode.commands.registerCommand("freehold.toggleCompletions", async () => {
      const config = vscode.workspace.getConfiguration("freehold.completions");
      await config.update("enabled", !config.get<boolean>("enabled", true), vscode.ConfigurationTarget.Global);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => warm(editor)),
    vscode.commands.registerCommand("freehold.loadModel", async () => {
      if (!anyModelConfigured()) {
        const choice = await vscode.window.showWarningMessage("Freehold has no model yet.", "Choose a Model", "Open Settings");
        if (choice === "Choose a Model") await vscode.commands.executeCommand("freehold.selectModel");
        else if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", "freehold.completions.model");
        return;
      }
      loadModel();
    }),
    vscode.commands.registerCommand("freehold.restartWorker", async () => {
      await Promise.all(roles.clients().map((engine) => engine.stopWorker()));
      loadModel();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!ROLE_MODEL_SETTINGS.some((section) => event.affectsConfiguration(section))) return;
      const wasLoaded = roles.clients().some((engine) => engine.model !== undefined);
      applyRoleModels();
      if (wasLoaded) loadModel();
      else statusBar.show(client.status, anyModelConfigured());
    }),
    { dispose: () => void roles.dispose() },
  );

  console.log("[freehold] activated");
  return { engine: client, roles, ensureModel: () => client.ensureModel(), completions: { pipeline, provider: inline }, review, refactor, chat: chatView };
}

export async function deactivate(): Promise<void> {
  await roleEngines?.dispose();
  roleEngines = undefined;
}
