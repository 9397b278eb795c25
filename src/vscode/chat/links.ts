// Opens a link clicked in the chat view after classifyLink's check: http(s) in the system browser once the user
// has seen the full address and said yes (a domain can be trusted for the session), workspace files in the
// editor when their real path (symbolic links resolved) is still in the workspace; anything else is refused.
import * as vscode from "vscode";
import { LinkConsent, linkDomain } from "../../chat/linkConsent";
import { classifyLink, resolveFileLink } from "../../chat/linkTarget";

const consent = new LinkConsent();

export async function openChatLink(href: string, log: (line: string) => void): Promise<void> {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  const target = classifyLink(href, roots);
  switch (target.kind) {
    case "external": {
      if (consent.needsConfirmation(target.url)) {
        const domain = new URL(target.url).host;
        const open = "Open";
        const trust = `Open and Trust ${domain} for This Session`;
        const choice = await vscode.window.showWarningMessage("Open this link from the Freehold chat in your browser?", { modal: true, detail: target.url }, open, trust);
        if (!choice) {
          log(`chat link not opened (declined): ${target.url.slice(0, 300)}`);
          return;
        }
        if (choice === trust) consent.trustForSession(target.url);
      }
      log(`chat link opened: ${linkDomain(target.url)}`);
      await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
      return;
    }
    case "file": {
      const resolved = await resolveFileLink(target.path, roots);
      if (resolved.kind === "missing") {
        void vscode.window.showWarningMessage(`Freehold: ${vscode.workspace.asRelativePath(target.path)} does not exist.`);
        return;
      }
      if (resolved.kind === "outside") {
        log(`chat link refused (a link out of the workspace): ${JSON.stringify(href.slice(0, 200))}`);
        void vscode.window.showWarningMessage("Freehold did not open the link: a path outside the workspace.");
        return;
      }
      const line = Math.max(0, (target.line ?? 1) - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(resolved.path), { selection: new vscode.Range(line, 0, line, 0), preview: true });
      return;
    }
    case "refused":
      log(`chat link refused (${target.reason}): ${JSON.stringify(href.slice(0, 200))}`);
      void vscode.window.showWarningMessage(`Freehold did not open the link: ${target.reason}.`);
      return;
  }
}
