import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { LoadModelParams } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";
import { editorThreads } from "../engine/editorThreads";
import { expandHome } from "../platform/paths";
import { DEFAULT_COMPLETION_OPTIONS, type CompletionOptions, type MultilineSetting } from "../completion/pipeline";
import { pathAllowed, trustedSetting } from "./trust";
import { parseServerConfig, type RemoteServerConfig } from "../engine/remote/serverConfig";
import type { RoleServers } from "../models/roleEngines";

/** The model file a role's setting names, expanded ("" when none, or when Restricted Mode refuses it): the new setting first, then the one it replaced. */
export function rolePathSetting(role: "completion" | "chat"): string {
  return role === "completion"
    ? trustedPathSetting("freehold.completions", "model") || trustedPathSetting("freehold.model", "path")
    : trustedPathSetting("freehold.chat", "model") || trustedPathSetting("freehold.chat", "modelPath");
}

function loadParams(modelPath: string): LoadModelParams {
  const gpuSetting = trustedSetting<number | string>("freehold.model", "gpuLayers", "auto");
  const threads = trustedSetting<number>("freehold.model", "threads", 0);
  return {
    path: modelPath,
    contextSize: trustedSetting<number>("freehold.model", "contextSize", DEFAULTS.model.contextSize),
    gpuLayers: gpuSetting === "auto" || typeof gpuSetting !== "number" ? "auto" : gpuSetting,
    threads: typeof threads === "number" && threads > 0 ? threads : editorThreads(),
  };
}

/** A path setting, expanded; "" when unset or when Restricted Mode refuses it (trust.ts). */
export function trustedPathSetting(section: string, key: string): string {
  const raw = trustedSetting<string>(section, key, "");
  if (typeof raw !== "string" || !raw.trim()) return "";
  const expanded = expandPath(raw.trim());
  return pathAllowed(expanded, raw.trim(), `${section}.${key}`) ? expanded : "";
}

/** The completion model the settings ask for, or undefined when none is configured. */
export function modelFromSettings(): LoadModelParams | undefined {
  const raw = rolePathSetting("completion");
  return raw ? loadParams(raw) : undefined;
}

/** Both roles' models; chat undefined means "the completion model". */
export function roleModelsFromSettings(): { completion?: LoadModelParams; chat?: LoadModelParams } {
  const chat = rolePathSetting("chat");
  return { completion: modelFromSettings(), chat: chat ? loadParams(chat) : undefined };
}

/** Any role has a model (a local file or a server). */
export function anyModelConfigured(): boolean {
  return rolePathSetting("completion") !== "" || rolePathSetting("chat") !== "" || roleServersFromSettings().servers.completion !== undefined || roleServersFromSettings().servers.chat !== undefined;
}

/** A role's server setting (`freehold.completions.server`, `freehold.chat.server`), checked. Machine settings: a workspace cannot send your code anywhere. */
function serverSetting(section: "freehold.completions" | "freehold.chat"): { config?: RemoteServerConfig; problem?: string } {
  // Machine scope: VS Code itself ignores a workspace's value.
  const parsed = parseServerConfig(vscode.workspace.getConfiguration(section).get<unknown>("server"));
  if (!parsed) return {};
  if ("problem" in parsed) return { problem: `${section}.server: ${parsed.problem}` };
  return { config: parsed.config };
}

/**
 * Each role's server. Chat without a server and without a model of its own follows completions (as an empty chat
 * model means "the completion model"); a role with a server uses it even when a model file is set too.
 */
export function roleServersFromSettings(): { servers: RoleServers; problems: string[] } {
  const completion = serverSetting("freehold.completions");
  const chat = serverSetting("freehold.chat");
  const problems = [completion.problem, chat.problem].filter((p): p is string => p !== undefined);
  const chatFollows = !chat.config && !chat.problem && rolePathSetting("chat") === "";
  return { servers: { completion: completion.config, chat: chat.config ?? (chatFollows ? completion.config : undefined) }, problems };
}

/** Settings changes that move a role's model or server. */
export const ROLE_MODEL_SETTINGS = ["freehold.model", "freehold.completions.model", "freehold.chat.model", "freehold.chat.modelPath", "freehold.completions.server", "freehold.chat.server"] as const;

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
      enabled: config.get<boolean>("enabled", true),
      languages: config.get<Record<string, boolean>>("languages", { "*": true }),
      coldStart: true,
      multiline: (["auto", "always", "never"].includes(multiline) ? multiline : "auto") as MultilineSetting,
      maxTokensSingle: config.get<number>("maxTokensSingleLine", DEFAULT_COMPLETION_OPTIONS.maxTokensSingle),
      maxTokensMulti: config.get<number>("maxTokensMultiLine", DEFAULT_COMPLETION_OPTIONS.maxTokensMulti),
    },
  };
}
