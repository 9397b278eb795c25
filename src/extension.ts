// Freehold's extension host entry: cheap activation; the inference worker starts on first need.
import * as vscode from "vscode";
import { EngineClient } from "./engine/client";
import type { ChatViewProvider } from "./vscode/chat/chatViewProvider";
import { registerChat } from "./vscode/chat/register";
import { StatusBar } from "./vscode/statusBar";
import { debugEnabled, modelFromSettings, completionSettings } from "./vscode/settings";
import { announceIgnoredWorkspaceSettings, setTrustLog } from "./vscode/trust";
import { RESTRICTED_SETTINGS } from "./config/restrictedSettings";
import { CompletionPipeline } from "./completion/pipeline";
import { EditorContext } from "./vscode/completion/editorContext";
import { InlineCompletionProvider } from "./vscode/completion/inlineProvider";
import { showLastPrompt } from "./vscode/completion/showLastPrompt";
import { WarmAhead } from "./vscode/completion/warmAhead";
import { EditReview } from "./vscode/review/editReview";
import { registerModels, type ModelsLayer } from "./vscode/models";
import { registerRefactor, type RefactorApi } from "./vscode/refactor/register";

/** What the extension exports: the integration tests drive the engine through it. */
export interface FreeholdApi {
  readonly engine: EngineClient;
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

let engine: EngineClient | undefined;

export function activate(context: vscode.ExtensionContext): FreeholdApi {
  const log = vscode.window.createOutputChannel("Freehold", { log: true });
  setTrustLog((line) => log.info(line));
  void announceIgnoredWorkspaceSettings(RESTRICTED_SETTINGS);
  const statusBar = new StatusBar();
  let chatPanel: ChatViewProvider | undefined;
  let models: ModelsLayer | undefined;
  let warmAhead: WarmAhead | undefined;
  let previousState: string | undefined;

  const client = new EngineClient({
    workerPath: vscode.Uri.joinPath(context.extensionUri, "dist", "worker.mjs").fsPath,
    onStatus: (status) => {
      // A model that has just loaded: warm the file the user is in, so the first keystroke is not cold.
      if (status.state === "ready" && previousState === "loading") warmAhead?.warm(vscode.window.activeTextEditor, "model loaded");
      previousState = status.state;
      statusBar.show(status, modelFromSettings() !== undefined);
      chatPanel?.postStatus(status.state, status.model?.name, status.message);
      if (status.state === "error" && status.message) log.warn(status.message);
      models?.onStatus(status);
    },
    log: (line) => (debugEnabled() ? log.info(line) : log.debug(line)),
  });
  engine = client;
  /** The model the settings (as Workspace Trust allows them) ask for, logged so a user can see what counts. */
  const configuredModel = () => {
    const model = modelFromSettings();
    log.info(`model setting: ${model ? `${model.path} (context ${model.contextSize}, threads ${model.threads ?? "auto"}, GPU layers ${model.gpuLayers})` : "none"}`);
    return model;
  };
  client.setModel(configuredModel());

  const modelSettingsChanged = () => {
    const wasLoaded = client.model !== undefined;
    client.setModel(configuredModel());
    if (wasLoaded) loadModel();
    else statusBar.show(client.status, modelFromSettings() !== undefined);
  };

  const loadModel = () => {
    if (!modelFromSettings()) return;
    client.ensureModel().catch((error: unknown) => log.error(error instanceof Error ? error.message : String(error)));
  };

  const debugLog = (line: string) => {
    if (debugEnabled()) log.info(`[completion] ${line} [worker completions: ${client.requestCounts.complete ?? 0}]`);
  };
  const editorContext = new EditorContext(vscode.Uri.joinPath(context.extensionUri, "node_modules", "@vscode", "tree-sitter-wasm", "wasm").fsPath, (line) => log.warn(line));
  const pipeline = new CompletionPipeline(client, editorContext.source(), () => completionSettings().options, debugLog);
  const inline = new InlineCompletionProvider(pipeline, () => completionSettings(), debugLog);
  inline.onShown = (t) => statusBar.setShown(t.totalMs, `debounce ${t.debounceMs}, context ${t.contextMs}, queue ${t.queueMs}, first token ${t.firstTokenMs}, rest ${t.restMs} ms`);
  warmAhead = new WarmAhead(pipeline, () => client.model !== undefined, debugLog);

  models = registerModels(context, { client, log: (line) => log.info(line), setStatusDetail: (lines) => statusBar.setDetail(lines) });
  const review = new EditReview((line) => log.info(line));
  const chatView = registerChat(context, { engine: client, review, loadModel, log });
  chatPanel = chatView;
  const refactor = registerRefactor(context, client, review, (line) => log.info(line));
  context.subscriptions.push(
    log,
    statusBar,
    review,
    editorContext,
    warmAhead,
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
    vscode.commands.registerCommand("freehold.loadModel", async () => {
      if (!modelFromSettings()) {
        const choice = await vscode.window.showWarningMessage("Freehold has no model yet.", "Choose a Model", "Open Settings");
        if (choice === "Choose a Model") await vscode.commands.executeCommand("freehold.selectModel");
        else if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", "freehold.model.path");
        return;
      }
      // Asking again retries a load that failed (a failed load is otherwise not retried by itself).
      client.setModel(modelFromSettings());
      loadModel();
    }),
    vscode.commands.registerCommand("freehold.restartWorker", async () => {
      await client.stopWorker();
      loadModel();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("freehold.model")) modelSettingsChanged();
    }),
    // Trusting the workspace can change which model settings count (trust.ts).
    vscode.workspace.onDidGrantWorkspaceTrust(() => modelSettingsChanged()),
    { dispose: () => void client.dispose() },
  );

  console.log("[freehold] activated");
  return { engine: client, ensureModel: () => client.ensureModel(), completions: { pipeline, provider: inline }, review, refactor, chat: chatView };
}

export async function deactivate(): Promise<void> {
  await engine?.dispose();
  engine = undefined;
}
