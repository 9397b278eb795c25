import * as vscode from "vscode";
import type { LastPrompt } from "../../completion/pipeline";

/** Opens exactly what the model saw for the last completion, with where each snippet came from and why. */
export async function showLastPrompt(last: LastPrompt | undefined): Promise<void> {
  if (!last) {
    void vscode.window.showInformationMessage("Freehold has not made a completion yet in this window.");
    return;
  }
  const header = [
    `Freehold — last completion prompt (${last.at.toLocaleTimeString()})`,
    `file: ${last.path}    prompt form: ${last.family}`,
    last.snippets.length ? "snippets:" : "snippets: none",
    ...last.snippets.map((s) => `  ${s.path}:${s.startLine}-${s.endLine}  (${s.reason})`),
    ...last.notes.map((note) => `note: ${note}`),
    "─".repeat(60),
    "",
  ].join("\n");
  const document = await vscode.workspace.openTextDocument({ content: header + last.text, language: "plaintext" });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
