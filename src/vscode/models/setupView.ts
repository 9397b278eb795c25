// The first-run setup panel (webview view `freehold.setupView`, shown while no model is configured): models
// found on this machine first, then the recommended download for this machine, then "Choose a GGUF file…";
// a choice for completions and one for chat, or one model for both.
import * as vscode from "vscode";
import type { ModelRole } from "../../models/catalog";
import { gb } from "../../models/fit";
import { CHOICE_LABELS, type RoleChoice, type RoleMemoryPlan } from "../../models/rolePlan";
import type { ModelListing } from "../../models/report";
import { makeNonce } from "../nonce";
import { webviewPage } from "../webviewPage";
import type { ModelsController } from "./modelsController";

type FromWebview =
  | { type: "use"; role: ModelRole; path: string }
  | { type: "download"; role: ModelRole; id: string }
  | { type: "browse"; role: ModelRole }
  | { type: "same"; value: boolean }
  | { type: "choice"; choice: RoleChoice }
  | { type: "refresh" };

export class SetupViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "freehold.setupView";
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly models: ModelsController,
  ) {
    this.disposables.push(models.onDidChange(() => this.render()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "media")] };
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: FromWebview) => void this.onMessage(message)),
      view.onDidDispose(() => (this.view = undefined)),
    );
    this.render();
    if (!this.models.state.report) void this.models.refresh();
  }

  private async onMessage(message: FromWebview): Promise<void> {
    const role: ModelRole = "role" in message && message.role === "chat" ? "chat" : "completion";
    switch (message.type) {
      case "use":
        if (typeof message.path === "string" && message.path) await this.models.use(role, message.path);
        break;
      case "download":
        if (typeof message.id === "string") await this.models.download(role, message.id);
        break;
      case "browse":
        await this.models.browse(role);
        break;
      case "same":
        this.models.setSameForBoth(message.value === true);
        break;
      case "refresh":
        await this.models.refresh();
        break;
      case "choice":
        if (message.choice === "one-model-for-both") this.models.setSameForBoth(true);
        else if (message.choice === "smaller-chat-model") await this.models.pick("chat");
        else if (message.choice === "chat-on-demand") await this.models.chatOnDemand();
        break;
    }
  }

  private render(): void {
    if (!this.view) return;
    this.view.webview.html = this.html(this.view.webview);
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "setup.css"));
    const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`];
    const state = this.models.state;
    const report = state.report;
    const machine = report
      ? `This machine: ${gb(report.hardware.freeRamBytes)} of ${gb(report.hardware.totalRamBytes)} RAM free, ${report.hardware.cpuCores} cores, ${
          report.hardware.gpu ? `${escape(report.hardware.gpu.type)} GPU with ${gb(report.hardware.gpu.freeVramBytes)} free` : "CPU only"
        }.`
      : state.scanning
        ? "Looking for GGUF models on this machine…"
        : (state.scanError ?? "");
    const benchmark = state.benchmark
      ? `<p class="measured">Measured here: ${state.benchmark.generationTokensPerSecond} tokens/s generated, ${state.benchmark.promptTokensPerSecond} tokens/s prompt.</p>`
      : "";
    const sections = state.sameForBoth
      ? this.section("completion", "Model for completions and chat", state.completionPath)
      : this.section("completion", "Completion model", state.completionPath) + this.section("chat", "Chat model", state.chatPath);
    return webviewPage({
      csp,
      style,
      title: "Freehold setup",
      body: `<h2>Set up Freehold</h2>
<p>Freehold runs a GGUF model on this machine: nothing leaves it. Pick a model you already have, or download one.</p>
<p class="machine" role="status">${machine}</p>
${state.downloading ? `<p class="busy">Downloading ${escape(state.downloading)}… (progress in the notification)</p>` : ""}
${benchmark}
${planHtml(state.memoryPlan, "plan")}
${state.recommendedPair && !state.completionPath ? `<p class="pair">Recommended pair for this machine: ${escape(state.recommendedPair.message.replace(/^[^:]*: /, ""))}</p>` : ""}
<label class="same"><input type="checkbox" id="same" ${state.sameForBoth ? "checked" : ""}> Use one model for completions and chat</label>
${sections}
<p><button class="link" data-action="refresh">Look for models again</button></p>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.body.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const d = button.dataset;
  if (d.action === "use") vscode.postMessage({ type: "use", role: d.role, path: d.path });
  else if (d.action === "download") vscode.postMessage({ type: "download", role: d.role, id: d.id });
  else if (d.action === "browse") vscode.postMessage({ type: "browse", role: d.role });
  else if (d.action === "refresh") vscode.postMessage({ type: "refresh" });
  else if (d.action === "choice") vscode.postMessage({ type: "choice", choice: d.choice });
});
document.getElementById("same").addEventListener("change", (event) => vscode.postMessage({ type: "same", value: event.target.checked }));
</script>`,
    });
  }

  private section(role: ModelRole, title: string, currentPath: string): string {
    const state = this.models.state;
    const purpose = role === "completion" ? "completions" : "chat";
    const usable = (state.report?.models ?? []).filter((m) => m.valid && m.facts);
    const suits = (m: ModelListing) => (role === "completion" ? m.facts!.fim : m.facts!.chatTemplate);
    const fitOrder = { fits: 0, tight: 1, "too-big": 2, unsupported: 3 } as const;
    const found = [...usable.filter(suits), ...usable.filter((m) => !suits(m))].sort(
      (a, b) => Number(!suits(a)) - Number(!suits(b)) || fitOrder[a.fit?.level ?? "fits"] - fitOrder[b.fit?.level ?? "fits"],
    );
    const unusable = (state.report?.models ?? []).filter((m) => !m.valid);
    const rows = found.map((m) => {
      const f = m.facts!;
      const uses = [f.fim ? "completions (FIM)" : "no FIM tokens", f.chatTemplate ? "chat" : "no chat template"].join(", ");
      const current = m.path === currentPath;
      return `<li class="model fit-${m.fit?.level ?? "unknown"}">
  <div class="name">${escape(m.name)}${current ? ' <span class="current">in use</span>' : ""}</div>
  <div class="facts">${escape(f.architecture)} · ${escape(f.sizeLabel)} · ${escape(f.quantization)} · ${gb(f.sizeBytes)} · ${escape(m.source)} · ${uses}</div>
  <div class="fit">${escape(m.fit?.reason ?? "")}</div>
  <button data-action="use" data-role="${role}" data-path="${escape(m.path)}" aria-label="Use ${escape(m.name)} for ${purpose}"${current ? " disabled" : ""}>Use</button>
</li>`;
    });
    const recommended = state.report?.recommended[role];
    const download = recommended
      ? `<li class="download">
  <div class="name">${escape(recommended.name)} <span class="tag">recommended for this machine</span></div>
  <div class="facts">${gb(recommended.sizeBytes)} download · ${escape(recommended.fit.reason)}</div>
  <button data-action="download" data-role="${role}" data-id="${escape(recommended.id)}" aria-label="Download ${escape(recommended.name)}"${state.downloading ? " disabled" : ""}>Download</button>
</li>`
      : "";
    return `<section aria-label="${escape(title)}">
<h3>${escape(title)}</h3>
<h4>On this machine</h4>
${rows.length ? `<ul>${rows.join("\n")}</ul>` : `<p class="none">${state.scanning ? "Looking…" : "No GGUF models found on this machine."}</p>`}
${unusable.length ? `<details><summary>${unusable.length} file(s) that cannot be used</summary><ul>${unusable.map((m) => `<li>${escape(m.name)}: ${escape(m.reason ?? "")}</li>`).join("")}</ul></details>` : ""}
<h4>Download</h4>
<ul>${download}</ul>
<p><button data-action="browse" data-role="${role}" aria-label="Choose a GGUF file for ${purpose}">Choose a GGUF file…</button></p>
</section>`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Whether both roles' models fit together, with the choices when they do not. */
function planHtml(plan: RoleMemoryPlan | undefined, className: string): string {
  if (!plan) return "";
  const choices = plan.choices.map((c) => `<li><button class="link" data-action="choice" data-choice="${c}">${escape(CHOICE_LABELS[c])}</button></li>`).join("");
  return `<div class="${className} level-${plan.level}" role="status"><p>${escape(plan.message)}</p>${choices ? `<ul class="choices">${choices}</ul>` : ""}</div>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
