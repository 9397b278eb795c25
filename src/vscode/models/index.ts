// Registers the model layer: setup view, model picker (also the status-bar menu), idle unload, self-benchmark.
import * as vscode from "vscode";
import type { EngineClient, EngineStatus } from "../../engine/client";
import { IdleUnloader } from "../../models/idleUnload";
import { proxyEnv } from "../../models/proxy";
import type { RoleEngines } from "../../models/roleEngines";
import { anyModelConfigured } from "../settings";
import { STATUS_BAR_MENU } from "../statusBar";
import { idleUnloadMinutes, vscodeProxySettings } from "./modelSettings";
import { ModelsCli } from "./modelsCli";
import { ModelsController } from "./modelsController";
import { SetupViewProvider } from "./setupView";

export interface ModelsLayer {
  /** Forward every engine status here (idle unload, first-load benchmark). */
  onStatus(status: EngineStatus): void;
  /** Forward the chat worker's statuses here (its own idle unload), while chat has a worker of its own. */
  onChatStatus(status: EngineStatus): void;
  readonly controller: ModelsController;
  /** The Set Up view's provider: the extension's entry registers the view and hands it here. */
  readonly setupView: SetupViewProvider;
}

export function registerModels(
  context: vscode.ExtensionContext,
  deps: {
    client: EngineClient;
    roles: RoleEngines;
    log: (line: string) => void;
    setStatusDetail: (lines: string[]) => void;
    /** The memory plan's line when both roles' models do not fit together (undefined when they do). */
    setMemoryProblem: (line: string | undefined) => void;
  },
): ModelsLayer {
  const cli = new ModelsCli({ cliPath: vscode.Uri.joinPath(context.extensionUri, "dist", "cli.mjs").fsPath, log: deps.log, env: () => proxyEnv(vscodeProxySettings()) });
  const workerPath = vscode.Uri.joinPath(context.extensionUri, "dist", "worker.mjs").fsPath;
  const controller = new ModelsController({ cli, client: deps.client, roles: deps.roles, workerPath, globalState: context.globalState, log: deps.log, setStatusDetail: deps.setStatusDetail });
  const setupView = new SetupViewProvider(context.extensionUri, controller, deps.log);
  const updateNeedsModel = () => void vscode.commands.executeCommand("setContext", "freehold.needsModel", !anyModelConfigured());
  // Idle unload per role: the chat worker (when chat has a model of its own) unloads on its own timer.
  const chatIdle = new IdleUnloader({
    idleMs: () => idleUnloadMinutes("chat") * 60_000,
    currentState: () => deps.roles.chat.status.state,
    unload: () => {
      if (!deps.roles.separate) return;
      deps.log(`[models] unloading the chat model after ${idleUnloadMinutes("chat")} idle minute(s); it loads again on next use`);
      return deps.roles.chat.stopWorker();
    },
  });
  updateNeedsModel();
  let lastPlan: string | undefined;
  const showPlan = () => {
    const plan = controller.memoryPlan();
    const line = plan && plan.level === "too-big" ? `${plan.message} Open the Set Up view for choices.` : undefined;
    if (line === lastPlan) return;
    lastPlan = line;
    deps.setMemoryProblem(line);
    if (line) deps.log(`[models] ${line}`);
  };
  context.subscriptions.push(
    controller,
    controller.onDidChange(showPlan),
    setupView,
    { dispose: () => chatIdle.clear() },
    // The status bar's item passes STATUS_BAR_MENU: its menu also switches inline completions off and on.
    vscode.commands.registerCommand("freehold.selectModel", (role?: unknown) => controller.pick(role === "chat" ? "chat" : "completion", { switches: role === STATUS_BAR_MENU })),
    vscode.commands.registerCommand("freehold.selectChatModel", () => controller.pick("chat")),
    vscode.commands.registerCommand("freehold.showSetup", async () => {
      await vscode.commands.executeCommand("setContext", "freehold.setupRequested", true);
      await vscode.commands.executeCommand(`${SetupViewProvider.viewId}.focus`);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (["freehold.model.path", "freehold.completions.model", "freehold.chat.model", "freehold.chat.modelPath"].some((s) => event.affectsConfiguration(s))) updateNeedsModel();
      if (["freehold.model.searchPaths", "freehold.model.memoryBudgetMB"].some((s) => event.affectsConfiguration(s))) void controller.refresh();
    }),
  );
  return { controller, setupView, onStatus: (status) => controller.onStatus(status), onChatStatus: (status) => chatIdle.onState(status.state) };
}
