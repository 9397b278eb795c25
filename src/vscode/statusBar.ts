import * as vscode from "vscode";
import type { EngineStatus } from "../engine/client";
import { backendLabel } from "../platform/backendLabel";

const ICONS: Record<EngineStatus["state"], string> = {
  idle: "$(circle-outline)",
  starting: "$(loading~spin)",
  loading: "$(loading~spin)",
  ready: "$(check)",
  generating: "$(sync~spin)",
  error: "$(error)",
};

/** The status bar item: `Freehold: <state> · <last latency>` (or "(chat only)"), the model in the tooltip. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("freehold.status", vscode.StatusBarAlignment.Right, 100);
  private last: { status: EngineStatus; modelConfigured: boolean } = { status: { state: "idle" }, modelConfigured: false };
  /** Extra tooltip lines (the measured speed of the model). */
  private detail: string[] = [];

  constructor() {
    this.item.name = "Freehold";
    // The status-bar menu: models on this machine, downloads, log.
    this.item.command = "freehold.selectModel";
    this.show({ state: "idle" }, false);
    this.item.show();
  }

  setDetail(lines: string[]): void {
    this.detail = lines;
    this.show(this.last.status, this.last.modelConfigured);
  }

  show(status: EngineStatus, modelConfigured: boolean): void {
    this.last = { status, modelConfigured };
    const label = status.state === "loading" ? `loading ${Math.round((status.progress ?? 0) * 100)}%` : status.state;
    const chatOnly = status.model && !status.model.infill && (status.state === "ready" || status.state === "generating");
    const latency = status.lastLatencyMs !== undefined && (status.state === "ready" || status.state === "generating") ? ` · ${status.lastLatencyMs} ms` : "";
    this.item.text = `${ICONS[status.state]} Freehold: ${label}${chatOnly ? " (chat only)" : latency}`;
    const lines = [`Freehold — ${label}`];
    if (status.model) {
      lines.push(`Model: ${status.model.name} (${status.model.architecture}, ${status.model.infill ? "completions and chat" : "chat only"})`);
      lines.push(backendLabel(status.model));
      if (!status.model.infill) lines.push("This model has no fill-in-the-middle tokens, so it cannot complete code inline; choose a base (completion) model for ghost text.");
    } else if (!modelConfigured) lines.push("No model configured: click to choose one.");
    lines.push(...this.detail);
    if (status.lastLatencyMs !== undefined) lines.push(`Last request: ${status.lastLatencyMs} ms`);
    if (status.message) lines.push(status.message);
    this.item.tooltip = lines.join("\n");
    this.item.backgroundColor = status.state === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
