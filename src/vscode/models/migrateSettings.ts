// One-time move of the single-model settings to the per-role ones: freehold.model.path → freehold.completions.model,
// freehold.chat.modelPath → freehold.chat.model (user settings; the old keys stay readable as a fallback).
import * as vscode from "vscode";

const MOVES = [
  { from: ["freehold.model", "path"], to: ["freehold.completions", "model"] },
  { from: ["freehold.chat", "modelPath"], to: ["freehold.chat", "model"] },
] as const;
const NOTICE_KEY = "freehold.roleSettingsNoticeShown";

/** Moves set old values into empty new settings; shows one notice (once per machine) naming what moved. */
export async function migrateRoleSettings(globalState: vscode.Memento, log: (line: string) => void): Promise<string[]> {
  const moved: string[] = [];
  for (const { from, to } of MOVES) {
    const old = vscode.workspace.getConfiguration(from[0]).inspect<string>(from[1])?.globalValue;
    if (typeof old !== "string" || !old.trim()) continue;
    const target = vscode.workspace.getConfiguration(to[0]);
    const current = target.inspect<string>(to[1])?.globalValue;
    if (typeof current === "string" && current.trim()) continue;
    await target.update(to[1], old, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration(from[0]).update(from[1], undefined, vscode.ConfigurationTarget.Global);
    moved.push(`${from.join(".")} → ${to.join(".")}`);
  }
  if (moved.length) {
    log(`[models] settings moved: ${moved.join(", ")}`);
    if (!globalState.get<boolean>(NOTICE_KEY)) {
      await globalState.update(NOTICE_KEY, true);
      void vscode.window
        .showInformationMessage(`Freehold now has a model per role (completions and chat). Moved ${moved.join(" and ")}.`, "Open Settings")
        .then((choice) => choice && vscode.commands.executeCommand("workbench.action.openSettings", "freehold model"));
    }
  }
  return moved;
}
