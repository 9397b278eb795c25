// Opens a link clicked in the chat view after classifyLink's check: http(s) in the system browser, workspace
// files in the editor; anything else is refused with a message.
import * as vscode from "vscode";
import { classifyLink } from "../../chat/linkTarget";

export async function openChatLink(href: string, log: (line: string) => void): Promise<void> {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  const target = classifyLink(href, roots);
  switch (target.kind) {
    case "external":
      await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
      return;
    case "file": {
      const uri = vscode.Uri.file(target.path);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        void vscode.window.showWarningMessage(`Freehold: ${vscode.workspace.asRelativePath(uri)} does not exist.`);
        return;
      }
      const line = Math.max(0, (target.line ?? 1) - 1);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: true });
      return;
    }
    case "refused":
      log(`chat link refused (${target.reason}): ${JSON.stringify(href.slice(0, 200))}`);
      void vscode.window.showWarningMessage(`Freehold did not open the link: ${target.reason}.`);
      return;
  }
}
