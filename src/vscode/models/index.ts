// Registers the model layer: setup view, model picker (also the status-bar menu), idle unload, self-benchmark.
import * as vscode from "vscode";
import type { EngineClient, EngineStatus } from "../../engine/client";
import { modelFromSettings } from "../settings";
import { proxyEnv } from "../../models/proxy";
import { vscodeProxySettings } from "./modelSettings";
import { ModelsCli } from "./modelsCli";
import { ModelsController } from "./modelsController";
import { SetupViewProvider } from "./setupView";

export interface ModelsLayer {
  /** Forward every engine status here (idle unload, first-load benchmark). */
  onStatus(status: EngineStatus): void;
  readonly controller: ModelsController;
}

export function registerModels(
  context: vscode.ExtensionContext,
  deps: { client: EngineClient; log: (line: string) => void; setStatusDetail: (lines: string[]) => void },
): ModelsLayer {
  const cli = new ModelsCli({ cliPath: vscode.Uri.joinPath(context.extensionUri, "dist", "cli.mjs").fsPath, log: deps.log, env: () => proxyEnv(vscodeProxySettings()) });
  const workerPath = vscode.Uri.joinPath(context.extensionUri, "dist", "worker.mjs").fsPath;
  const controller = new ModelsController({ cli, client: deps.client, workerPath, globalState: context.globalState, log: deps.log, setStatusDetail: deps.setStatusDetail });
  const setupView = new SetupViewProvider(context.extensionUri, controller, deps.log);
  const updateNeedsModel = () => void vscode.commands.executeCommand("setContext", "freehold.needsModel", modelFromSettings() === undefined);
  updateNeedsModel();
  context.subscriptions.push(
    controller,
    setupView,
    vscode.window.registerWebviewViewProvider(SetupViewProvider.viewId, setupView),
    vscode.commands.registerCommand("freehold.selectModel", (role?: unknown) => controller.pick(role === "chat" ? "chat" : "completion")),
    vscode.commands.registerCommand("freehold.selectChatModel", () => controller.pick("chat")),
    vscode.commands.registerCommand("freehold.showSetup", async () => {
      await vscode.commands.executeCommand("setContext", "freehold.setupRequested", true);
      await vscode.commands.executeCommand(`${SetupViewProvider.viewId}.focus`);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("freehold.model.path")) updateNeedsModel();
      if (event.affectsConfiguration("freehold.model.searchPaths")) void controller.refresh();
    }),
  );
  return { controller, onStatus: (status) => controller.onStatus(status) };
}
