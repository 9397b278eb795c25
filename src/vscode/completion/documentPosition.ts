import * as path from "node:path";
import * as vscode from "vscode";
import type { DocumentPosition } from "../../completion/pipeline";
import { workspaceRelativePath } from "../../platform/paths";

export function toDocumentPosition(document: vscode.TextDocument, position: vscode.Position, textOverride?: { text: string; offset: number }): DocumentPosition {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const inFolder = document.uri.scheme === "file" && folder ? workspaceRelativePath(folder.uri.fsPath, document.uri.fsPath) : undefined;
  const relativePath = inFolder ?? (path.posix.basename(document.uri.path) || document.uri.toString());
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
