// Reading the model settings with Workspace Trust in mind. In Restricted Mode only the user's own values
// of the settings in config/restrictedSettings.ts count (VS Code does the same for `restrictedConfigurations`;
// this does not rely on it), and a path that points into the workspace (relative, `${workspaceFolder}`, or
// simply inside a workspace folder) is not used: the workspace could have put a file there. Freehold says so
// once per session when it ignores something.
import * as path from "node:path";
import * as vscode from "vscode";
import { isRestrictedSetting } from "../config/restrictedSettings";

/**
 * Once per session, not per copy of this module: the extension's entry and its host (dist/extension.js and
 * dist/host.js) each bundle one, so the state lives in one object both find.
 */
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for("freehold.trust")] ??= {
  announced: false,
  logged: new Set<string>(),
  log: () => undefined,
}) as { announced: boolean; logged: Set<string>; log: (line: string) => void };

export function setTrustLog(sink: (line: string) => void): void {
  state.log = sink;
}

export function workspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** `section.key` as configured; in Restricted Mode, for a restricted setting, the user's value or the default. */
export function trustedSetting<T>(section: string, key: string, fallback: T): T {
  const config = vscode.workspace.getConfiguration(section);
  const full = `${section}.${key}`;
  if (workspaceTrusted() || !isRestrictedSetting(full)) return config.get<T>(key, fallback);
  const inspected = config.inspect<T>(key);
  if (inspected && (inspected.workspaceValue !== undefined || inspected.workspaceFolderValue !== undefined)) {
    announceRestricted(`the workspace's ${full}`);
  }
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** Whether a path (already expanded) may be used now: in Restricted Mode, nothing inside a workspace folder. */
export function pathAllowed(expanded: string, raw: string, setting: string): boolean {
  if (workspaceTrusted()) return true;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  const relativeToWorkspace = raw.includes("${workspaceFolder}") || (!path.isAbsolute(raw) && !raw.startsWith("~") && !raw.startsWith("${userHome}"));
  const inside = folders.some((folder) => {
    const rel = path.relative(folder, expanded);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
  });
  if (!relativeToWorkspace && !inside) return true;
  announceRestricted(`${setting} (${raw}), which points into the workspace`);
  return false;
}

/** One message per session: what was ignored and why. */
export function announceRestricted(what: string): void {
  // Settings are read on every status change: each ignored value is logged once.
  if (!state.logged.has(what)) {
    state.logged.add(what);
    state.log(`Restricted Mode: ignoring ${what}`);
  }
  if (state.announced) return;
  state.announced = true;
  void vscode.window
    .showInformationMessage(
      "Freehold: this workspace is in Restricted Mode, so its model settings are ignored and only your user settings choose the model. Trust the workspace to change that.",
      "Manage Workspace Trust",
    )
    .then((choice) => choice && vscode.commands.executeCommand("workbench.trust.manage"));
}

/**
 * In Restricted Mode VS Code already hides the workspace's values of restricted settings from the API, so
 * Freehold looks at the workspace's settings files itself to say what it ignores (once, at start).
 */
export async function announceIgnoredWorkspaceSettings(keys: readonly string[]): Promise<void> {
  if (workspaceTrusted()) return;
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, ".vscode", "settings.json"));
  if (vscode.workspace.workspaceFile?.scheme === "file") files.push(vscode.workspace.workspaceFile);
  const found = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      continue;
    }
    for (const key of keys) if (text.includes(`"${key}"`)) found.add(key);
  }
  if (found.size) announceRestricted(`the workspace's ${[...found].join(", ")}`);
}
