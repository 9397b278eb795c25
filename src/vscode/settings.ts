import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { LoadModelParams } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";
import { expandHome } from "../platform/paths";
import { DEFAULT_COMPLETION_OPTIONS, type CompletionOptions, type MultilineSetting } from "../completion/pipeline";

/** The model the settings ask for, or undefined when none is configured. */
export function modelFromSettings(): LoadModelParams | undefined {
  const config = vscode.workspace.getConfiguration("freehold.model");
  const raw = config.get<string>("path", "").trim();
  if (!raw) return undefined;
  const gpuSetting = config.get<number | string>("gpuLayers", "auto");
  const threads = config.get<number>("threads", 0);
  return {
    path: expandPath(raw),
    contextSize: config.get<number>("contextSize", DEFAULTS.model.contextSize),
    gpuLayers: gpuSetting === "auto" || typeof gpuSetting !== "number" ? "auto" : gpuSetting,
    threads: threads > 0 ? threads : undefined,
  };
}

export function debugEnabled(): boolean {
  return vscode.workspace.getConfiguration("freehold").get<boolean>("debug", false);
}

/** A path setting as a file path: `${workspaceFolder}`, `${userHome}` and `~` expanded, relative to the workspace. */
export function expandPath(value: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "";
  let expanded = value.replace(/\$\{workspaceFolder\}/g, folder).replace(/\$\{userHome\}/g, os.homedir());
  expanded = expandHome(expanded, os.homedir());
  if (!path.isAbsolute(expanded) && folder) expanded = path.join(folder, expanded);
  return expanded;
}

export function completionSettings(): { enabled: boolean; languages: Record<string, boolean>; options: CompletionOptions } {
  const config = vscode.workspace.getConfiguration("freehold.completions");
  const multiline = config.get<string>("multiline", "auto");
  return {
    enabled: config.get<boolean>("enabled", true),
    languages: config.get<Record<string, boolean>>("languages", { "*": true }),
    options: {
      ...DEFAULT_COMPLETION_OPTIONS,
      multiline: (["auto", "always", "never"].includes(multiline) ? multiline : "auto") as MultilineSetting,
      maxTokensSingle: config.get<number>("maxTokensSingleLine", DEFAULT_COMPLETION_OPTIONS.maxTokensSingle),
      maxTokensMulti: config.get<number>("maxTokensMultiLine", DEFAULT_COMPLETION_OPTIONS.maxTokensMulti),
    },
  };
}
