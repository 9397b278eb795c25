import * as path from "node:path";
import * as vscode from "vscode";
import type { DocumentPosition } from "../../completion/pipeline";

export function toDocumentPosition(document: vscode.TextDocument, position: vscode.Position, textOverride?: { text: string; offset: number }): DocumentPosition {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const relativePath =
    document.uri.scheme === "file" && folder ? path.relative(folder.uri.fsPath, document.uri.fsPath).split(path.sep).join("/") : path.basename(document.uri.path) || document.uri.toString();
  return {
    key: document.uri.toString(),
    relativePath,
    languageId: document.languageId,
    text: textOverride?.text ?? document.getText(),
    offset: textOverride?.offset ?? document.offsetAt(position),
    repoName: folder?.name ?? "workspace",
    ...(textOverride ? {} : { version: document.version }),
  };
}
