import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import type { EngineClient } from "../engine/client";
import type { ChatMessage } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";
import type { Envelope, ToHost, ToWebview } from "../webview/messages";
import { makeNonce } from "./nonce";

/** The chat side panel: a webview with a strict CSP that streams replies from the worker. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "freehold.chatView";
  private view: vscode.WebviewView | undefined;
  private conversationId = randomUUID();
  private history: ChatMessage[] = [];
  private running: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineClient,
    /** Called when the view first becomes visible: the chat needs the model. */
    private readonly onNeedModel: () => void,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.extensionUri, "dist", "webview"), vscode.Uri.joinPath(this.extensionUri, "media")];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = this.html(view.webview);
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: Envelope<ToHost>) => void this.onMessage(message)),
      view.onDidDispose(() => {
        this.running?.abort();
        this.view = undefined;
      }),
    );
    this.onNeedModel();
  }

  postStatus(state: string, model?: string, message?: string): void {
    this.post({ type: "status", payload: { state, model, message } });
  }

  private async onMessage(message: Envelope<ToHost>): Promise<void> {
    switch (message.type) {
      case "ready": {
        const status = this.engine.status;
        this.postStatus(status.state, status.model?.name, status.message);
        break;
      }
      case "stop":
        this.running?.abort();
        break;
      case "send":
        await this.send(message.payload.text);
        break;
    }
  }

  private async send(text: string): Promise<void> {
    if (!text.trim() || this.running) return;
    const controller = new AbortController();
    this.running = controller;
    this.post({ type: "userMessage", payload: { text } });
    this.post({ type: "replyStart", payload: {} });
    let reply = "";
    try {
      const result = await this.engine.chat(
        {
          conversationId: this.conversationId,
          history: this.history,
          message: text,
          maxTokens: DEFAULTS.chat.maxTokens,
          timeLimitMs: DEFAULTS.chat.timeLimitMs,
        },
        {
          signal: controller.signal,
          onEvent: (event) => {
            reply += event.text;
            this.post({ type: "replyToken", payload: { text: event.text } });
          },
        },
      );
      this.history = [...this.history, { role: "user", text }, { role: "assistant", text: result.text }];
      this.post({ type: "replyEnd", payload: {} });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      if (cancelled && reply) this.history = [...this.history, { role: "user", text }, { role: "assistant", text: reply }];
      this.post({ type: "replyEnd", payload: { error: cancelled ? undefined : error instanceof Error ? error.message : String(error) } });
    } finally {
      this.running = undefined;
    }
  }

  newConversation(): void {
    this.running?.abort();
    this.conversationId = randomUUID();
    this.history = [];
    if (this.view) this.view.webview.html = this.html(this.view.webview);
  }

  private post(message: Envelope<ToWebview>): void {
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview", "chat.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "chat.css"));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
    ].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Freehold</title>
</head>
<body>
<header id="status" role="status" aria-live="polite">Freehold</header>
<main id="log" aria-label="Conversation"></main>
<form id="composer">
  <textarea id="input" rows="3" placeholder="Ask about your code (Enter sends, Shift+Enter adds a line)" aria-label="Message"></textarea>
  <div class="buttons"><button id="stop" type="button" disabled>Stop</button><button id="send" type="submit">Send</button></div>
</form>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.running?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
