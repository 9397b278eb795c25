// The model-related settings this layer reads and writes (the loaded model itself: ../settings.ts).
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ModelRole } from "../../models/catalog";
import { roleIdleMinutes } from "../../models/idleUnload";
import { expandPath, rolePathSetting, trustedPathSetting } from "../settings";
import { pathAllowed, trustedSetting } from "../trust";

export function searchPaths(): string[] {
  const raw = trustedSetting<string[]>("freehold.model", "searchPaths", []);
  return (Array.isArray(raw) ? raw : [])
    .filter((p) => typeof p === "string" && p.trim())
    .map((p) => ({ raw: p.trim(), expanded: expandPath(p.trim()) }))
    .filter((p) => pathAllowed(p.expanded, p.raw, "freehold.model.searchPaths"))
    .map((p) => p.expanded);
}

/** Context size and GPU layers as configured, also while no model path is set (the fit depends on them). */
export function loadSettings(): { contextSize: number; gpuLayers: number | "auto" } {
  const gpu = trustedSetting<number | string>("freehold.model", "gpuLayers", "auto");
  return { contextSize: trustedSetting<number>("freehold.model", "contextSize", 4096), gpuLayers: typeof gpu === "number" ? gpu : "auto" };
}

/** `freehold.model.memoryBudgetMB`: the most RAM Freehold plans its models for (0: the machine's free RAM). */
export function memoryBudgetMb(): number {
  const value = vscode.workspace.getConfiguration("freehold.model").get<number>("memoryBudgetMB", 0);
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** A role's idle minutes before its model is unloaded (0: never); chat may have its own (idleUnload.ts). */
export function idleUnloadMinutes(role: ModelRole): number {
  return roleIdleMinutes(role, (name) => vscode.workspace.getConfiguration().get(name));
}

/** The path setting of a role, expanded (Restricted Mode applied); the chat model's "" means "the completion model". */
export function modelPathSetting(role: ModelRole): string {
  return rolePathSetting(role);
}

/** Writes a role's model (the new per-role setting; the replaced one is cleared so it cannot shadow it). */
export async function setModelPath(role: ModelRole, value: string): Promise<void> {
  const [section, key, oldSection, oldKey] = role === "completion" ? ["freehold.completions", "model", "freehold.model", "path"] : ["freehold.chat", "model", "freehold.chat", "modelPath"];
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  if (vscode.workspace.getConfiguration(oldSection).inspect<string>(oldKey)?.globalValue !== undefined) {
    await vscode.workspace.getConfiguration(oldSection).update(oldKey, undefined, vscode.ConfigurationTarget.Global);
  }
}

export function downloadFolder(): string {
  const configured = trustedPathSetting("freehold.model", "downloadFolder");
  return configured || path.join(os.homedir(), ".node-llama-cpp", "models");
}

/** VS Code's own proxy settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`), for the downloader. */
export function vscodeProxySettings(): { proxy?: string; noProxy?: string[]; strictSSL?: boolean } {
  const http = vscode.workspace.getConfiguration("http");
  const noProxy = http.get<string[]>("noProxy", []);
  return {
    proxy: http.get<string>("proxy", "") || undefined,
    noProxy: Array.isArray(noProxy) ? noProxy.filter((h) => typeof h === "string") : [],
    strictSSL: http.get<boolean>("proxyStrictSSL", true),
  };
}
