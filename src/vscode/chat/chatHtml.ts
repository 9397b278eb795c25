import * as vscode from "vscode";
import { makeNonce } from "../nonce";
import { webviewPage } from "../webviewPage";

/** The folder the webview may load from: the bundled script, its CSS and the codicon font. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "dist", "webview");
}

/** The chat view's page: nothing but the bundled script and style, a fresh nonce on every load. */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = makeNonce();
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, "chat.js"));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, "chat.css"));
  return webviewPage({
    csp: [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      "img-src 'none'",
      "connect-src 'none'",
      "frame-src 'none'",
      "form-action 'none'",
      "base-uri 'none'",
    ],
    style,
    title: "Freehold",
    body: `<header>
  <select id="conversations" aria-label="Conversation"></select>
  <button id="new" type="button" class="icon-button" title="New chat" aria-label="New chat"><span class="codicon codicon-add"></span></button>
  <button id="delete" type="button" class="icon-button" title="Delete this chat" aria-label="Delete this chat"><span class="codicon codicon-trash"></span></button>
</header>
<div id="status" role="status" aria-live="polite">Freehold</div>
<main id="log" aria-label="Conversation messages" aria-live="polite"></main>
<div id="composer">
  <div id="chips" aria-label="Attached context"></div>
  <textarea id="input" rows="3" placeholder="Ask about your code — Enter sends, Shift+Enter adds a line, @ attaches a file" aria-label="Message"></textarea>
  <div class="buttons">
    <button id="attach" type="button" class="icon-button" title="Attach a file (@)" aria-label="Attach a file"><span class="codicon codicon-mention"></span></button>
    <span class="spacer"></span>
    <button id="regenerate" type="button" class="primary secondary" title="Regenerate the last answer"><span class="codicon codicon-refresh"></span>Regenerate</button>
    <button id="stop" type="button" class="primary secondary" title="Stop generating"><span class="codicon codicon-debug-stop"></span>Stop</button>
    <button id="send" type="button" class="primary" title="Send (Enter)"><span class="codicon codicon-send"></span>Send</button>
  </div>
</div>
<script nonce="${nonce}" src="${script}"></script>`,
  });
}
