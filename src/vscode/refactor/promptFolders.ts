// Where `.prompt` files are read from: `.freehold/prompts/` of each workspace folder (only when the workspace is
// trusted) and the user's folder. Apart from promptLibrary.ts so the extension's entry can look for prompt files
// without loading the rest of Freehold.
import * as vscode from "vscode";

export type PromptSource = "workspace" | "user";

export const WORKSPACE_PROMPTS_FOLDER = ".freehold/prompts";

/** The user's prompt folder: `freehold.prompts.userFolder`, else `prompts/` in the extension's global storage. */
export function userPromptFolder(globalStorage: vscode.Uri): vscode.Uri {
  const configured = vscode.workspace.getConfiguration("freehold.prompts").get<string>("userFolder", "").trim();
  if (configured) return vscode.Uri.file(configured.replace(/^~(?=$|[\\/])/, process.env.HOME ?? process.env.USERPROFILE ?? "~"));
  return vscode.Uri.joinPath(globalStorage, "prompts");
}

/** The folders prompts are read from, with their source; workspace folders only in a trusted workspace. */
export function promptFolders(globalStorage: vscode.Uri): { uri: vscode.Uri; source: PromptSource }[] {
  const folders: { uri: vscode.Uri; source: PromptSource }[] = [];
  if (vscode.workspace.isTrusted) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) folders.push({ uri: vscode.Uri.joinPath(folder.uri, WORKSPACE_PROMPTS_FOLDER), source: "workspace" });
  }
  folders.push({ uri: userPromptFolder(globalStorage), source: "user" });
  return folders;
}

/** Whether any prompt folder holds a `.prompt` file. */
export async function anyPromptFile(globalStorage: vscode.Uri): Promise<boolean> {
  for (const folder of promptFolders(globalStorage)) {
    try {
      const entries = await vscode.workspace.fs.readDirectory(folder.uri);
      if (entries.some(([name, type]) => type !== vscode.FileType.Directory && name.endsWith(".prompt"))) return true;
    } catch {
      // no such folder
    }
  }
  return false;
}
