import * as vscode from "vscode";
import type { EngineStatus } from "../engine/client";
import { backendLabel } from "../platform/backendLabel";
import { completionsOffWhere } from "./completion/completionSwitches";

/** The argument the status bar's item passes to `freehold.selectModel`: its menu also has the completion switches. */
export const STATUS_BAR_MENU = "status-bar";

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
  /** The last inline suggestion as the user waited for it (from the keystroke's request to the items), and its parts. */
  private shown: { totalMs: number; parts: string } | undefined;
  /** The chat role's worker status; undefined while chat uses the completion model. */
  private chat: EngineStatus | undefined;
  /** One-line problems of a role's model (no FIM tokens, no chat template, too little memory for both). */
  private problems: string[] = [];
  /** Where inline completions are off for the active editor ("everywhere", "for markdown"); undefined when on. */
  private completionsOff: string | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.item.name = "Freehold";
    // The status-bar menu: completions on or off, models on this machine, downloads, log.
    this.item.command = { title: "Freehold", command: "freehold.selectModel", arguments: [STATUS_BAR_MENU] };
    this.completionsOff = completionsOffWhere();
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.readCompletionSwitches()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("freehold.completions")) this.readCompletionSwitches();
      }),
    ];
    this.show({ state: "idle" }, false);
    this.item.show();
  }

  private readCompletionSwitches(): void {
    const off = completionsOffWhere();
    if (off === this.completionsOff) return;
    this.completionsOff = off;
    this.show(this.last.status, this.last.modelConfigured);
  }

  setDetail(lines: string[]): void {
    this.detail = lines;
    this.show(this.last.status, this.last.modelConfigured);
  }

  /** The last suggestion's wait as the user had it; the status bar shows it instead of the engine's part alone. */
  setShown(totalMs: number, parts: string): void {
    this.shown = { totalMs, parts };
    this.show(this.last.status, this.last.modelConfigured);
  }

  /** The chat worker's status (undefined: chat shares the completion model). */
  showChat(status: EngineStatus | undefined): void {
    this.chat = status;
    this.show(this.last.status, this.last.modelConfigured);
  }

  setProblems(lines: string[]): void {
    this.problems = lines;
    this.show(this.last.status, this.last.modelConfigured);
  }

  /** The text and tooltip shown now (the integration tests read them). */
  get shownText(): { text: string; tooltip: string } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === "string" ? this.item.tooltip : "" };
  }

  show(status: EngineStatus, modelConfigured: boolean): void {
    this.last = { status, modelConfigured };
    const label = status.state === "loading" ? `loading ${Math.round((status.progress ?? 0) * 100)}%` : status.state;
    const chatOnly = status.model && !status.model.infill && (status.state === "ready" || status.state === "generating");
    const waited = this.shown?.totalMs ?? status.lastLatencyMs;
    const latency = waited !== undefined && (status.state === "ready" || status.state === "generating") ? ` · ${waited} ms` : "";
    const remote = status.remote ? ` · remote · ${status.remote.host}` : "";
    const off = this.completionsOff ? ` · completions off${this.completionsOff === "everywhere" ? "" : ` ${this.completionsOff}`}` : "";
    this.item.text = `${ICONS[status.state]} Freehold: ${label}${remote}${chatOnly ? " (chat only)" : off || latency}`;
    const lines = [`Freehold — ${label}`];
    if (this.completionsOff) lines.push(`Inline completions are off ${this.completionsOff}: click to turn them on.`);
    if (status.remote) {
      lines.push(`Completions: ${status.model ? status.model.name : "(not reached yet)"} on the ${status.remote.kind} server ${status.remote.url}${this.chat ? "" : " — also chat"}`);
      if (status.model) lines.push(`Server model: ${status.model.name}, ${status.model.contextSize}-token context${status.model.infill ? "" : ", no fill-in-the-middle"}`);
    } else if (status.model) {
      lines.push(`Completions: ${status.model.name} (${status.model.architecture})${this.chat ? "" : " — also chat"}`);
      lines.push(backendLabel(status.model));
      if (!status.model.infill) lines.push("This model has no fill-in-the-middle tokens, so it cannot complete code inline; choose a base (completion) model for ghost text.");
    } else if (!modelConfigured) lines.push("No model configured: click to choose one.");
    if (this.chat) {
      const chatState = this.chat.state === "loading" ? `loading ${Math.round((this.chat.progress ?? 0) * 100)}%` : this.chat.state;
      const where = this.chat.remote ? ` on the ${this.chat.remote.kind} server ${this.chat.remote.url}` : "";
      const name = this.chat.model ? (this.chat.remote ? this.chat.model.name : `${this.chat.model.name} (${this.chat.model.architecture})`) : "its model";
      lines.push(`Chat: ${name}${where} · ${chatState}${this.chat.lastLatencyMs !== undefined && this.chat.remote ? ` · last ${this.chat.lastLatencyMs} ms` : ""}${this.chat.message ? ` — ${this.chat.message}` : ""}`);
    }
    lines.push(...this.problems);
    lines.push(...this.detail);
    if (this.shown) lines.push(`Last suggestion: ${this.shown.totalMs} ms from the keystroke (${this.shown.parts})`);
    if (status.lastLatencyMs !== undefined) lines.push(`Last ${status.remote ? "server" : "engine"} request: ${status.lastLatencyMs} ms`);
    if (status.message) lines.push(status.message);
    this.item.tooltip = lines.join("\n");
    this.item.backgroundColor = status.state === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
