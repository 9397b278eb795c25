// The first-run setup panel (webview view `freehold.setupView`, shown while no model is configured): models
// found on this machine first, then the recommended download for this machine, then "Choose a GGUF file…";
// a choice for completions and one for chat, or one model for both.
import * as vscode from "vscode";
import type { ModelRole } from "../../models/catalog";
import { CHOICE_LABELS, type RoleChoice } from "../../models/rolePlan";
import { makeNonce } from "../nonce";
import { checkSetupMessage, type SetupMessage } from "../webviewMessages";
import { webviewPage } from "../webviewPage";
import type { ModelsController } from "./modelsController";
import { setupBody, setupCsp } from "./setupPage";

export class SetupViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "freehold.setupView";
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly models: ModelsController,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.disposables.push(models.onDidChange(() => this.render()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "media")] };
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const checked = checkSetupMessage(raw);
        if (checked.ok) this.onMessage(checked.message).catch((error: unknown) => this.log(`setup view: ${checked.message.type} failed: ${error instanceof Error ? error.message : String(error)}`));
        else this.log(`setup view: dropped a malformed message (${checked.error})`);
      }),
      view.onDidDispose(() => (this.view = undefined)),
    );
    this.render();
    if (!this.models.state.report) void this.models.refresh();
  }

  private async onMessage(message: SetupMessage): Promise<void> {
    const role: ModelRole = "role" in message && message.role === "chat" ? "chat" : "completion";
    switch (message.type) {
      case "use":
        // Only a model the panel listed: the page cannot name any other file for the loader.
        if (this.models.state.report?.models.some((m) => m.valid && m.path === message.path)) await this.models.use(role, message.path);
        else this.log(`setup view: ignored "use" of a file it did not list`);
        break;
      case "download":
        await this.models.download(role, message.id);
        break;
      case "browse":
        await this.models.browse(role);
        break;
      case "same":
        this.models.setSameForBoth(message.value === true);
        break;
      case "refresh":
        await this.models.refresh();
        break;
      case "choice": {
        if (!Object.hasOwn(CHOICE_LABELS, message.choice)) {
          this.log(`setup view: ignored an unknown choice`);
          break;
        }
        const choice = message.choice as RoleChoice;
        if (choice === "one-model-for-both") this.models.setSameForBoth(true);
        else if (choice === "smaller-chat-model") await this.models.pick("chat");
        else if (choice === "chat-on-demand") await this.models.chatOnDemand();
        break;
      }
    }
  }

  private render(): void {
    if (!this.view) return;
    this.view.webview.html = this.html(this.view.webview);
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "setup.css"));
    return webviewPage({ csp: setupCsp(webview.cspSource, nonce), style, title: "Freehold setup", body: setupBody(this.models.state, nonce).value });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
