// The setup panel's markup (no `vscode` import: rendered and tested in plain Node). Every text goes through
// the escaping template (../htmlTemplate.ts): model names, paths, fit reasons and the scan's error message
// (which can carry paths from settings) are text, never markup.
import type { ModelListing, ModelsReport } from "../../models/report";
import { CHOICE_LABELS, type RoleMemoryPlan } from "../../models/rolePlan";
import type { ModelRole } from "../../models/catalog";
import { gb } from "../../models/fit";
import { html, type SafeHtml } from "../htmlTemplate";

export interface SetupState {
  report?: ModelsReport;
  scanning: boolean;
  scanError?: string;
  downloading?: string;
  completionPath: string;
  chatPath: string;
  sameForBoth: boolean;
  benchmark?: { generationTokensPerSecond: number; promptTokensPerSecond: number };
  /** Whether both roles' models fit together, when both are known. */
  memoryPlan?: RoleMemoryPlan;
  /** The recommended completion + chat downloads, with their memory together. */
  recommendedPair?: RoleMemoryPlan;
}

/** The page's Content-Security-Policy: as strict as the chat view's. */
export function setupCsp(cspSource: string, nonce: string): string[] {
  return ["default-src 'none'", `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, "img-src 'none'", "connect-src 'none'", "frame-src 'none'", "form-action 'none'", "base-uri 'none'"];
}

export function setupBody(state: SetupState, nonce: string): SafeHtml {
  const report = state.report;
  const machine = report
    ? `This machine: ${gb(report.hardware.freeRamBytes)} of ${gb(report.hardware.totalRamBytes)} RAM free, ${report.hardware.cpuCores} cores, ${
        report.hardware.gpu ? `${report.hardware.gpu.type} GPU with ${gb(report.hardware.gpu.freeVramBytes)} free` : "CPU only"
      }.`
    : state.scanning
      ? "Looking for GGUF models on this machine…"
      : (state.scanError ?? "");
  const sections = state.sameForBoth
    ? [section(state, "completion", "Model for completions and chat", state.completionPath)]
    : [section(state, "completion", "Completion model", state.completionPath), section(state, "chat", "Chat model", state.chatPath)];
  return html`<h2>Set up Freehold</h2>
<p>Freehold runs a GGUF model on this machine: nothing leaves it. Pick a model you already have, or download one.</p>
<p class="machine" role="status">${machine}</p>
${state.downloading ? html`<p class="busy">Downloading ${state.downloading}… (progress in the notification)</p>` : ""}
${state.benchmark ? html`<p class="measured">Measured here: ${state.benchmark.generationTokensPerSecond} tokens/s generated, ${state.benchmark.promptTokensPerSecond} tokens/s prompt.</p>` : ""}
${planHtml(state.memoryPlan, "plan")}
${state.recommendedPair && !state.completionPath ? html`<p class="pair">Recommended pair for this machine: ${state.recommendedPair.message.replace(/^[^:]*: /, "")}</p>` : ""}
<label class="same"><input type="checkbox" id="same" ${state.sameForBoth ? html`checked` : ""}> Use one model for completions and chat</label>
${sections}
<p><button class="link" data-action="refresh">Look for models again</button></p>
<script nonce="${nonce}">${SCRIPT}</script>`;
}

const SCRIPT = html`
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
`;

function section(state: SetupState, role: ModelRole, title: string, currentPath: string): SafeHtml {
  const purpose = role === "completion" ? "completions" : "chat";
  const usable = (state.report?.models ?? []).filter((m) => m.valid && m.facts);
  const suits = (m: ModelListing) => (role === "completion" ? m.facts!.fim : m.facts!.chatTemplate);
  const fitOrder = { fits: 0, tight: 1, "too-big": 2, unsupported: 3 } as const;
  const found = [...usable.filter(suits), ...usable.filter((m) => !suits(m))].sort(
    (a, b) =>
      Number(b.path === currentPath) - Number(a.path === currentPath) || Number(!suits(a)) - Number(!suits(b)) || fitOrder[a.fit?.level ?? "fits"] - fitOrder[b.fit?.level ?? "fits"],
  );
  const unusable = (state.report?.models ?? []).filter((m) => !m.valid);
  const rows = found.map((m) => {
    const f = m.facts!;
    const uses = [f.fim ? "completions (FIM)" : "no FIM tokens", f.chatTemplate ? "chat" : "no chat template"].join(", ");
    const current = m.path === currentPath;
    return html`<li class="model fit-${m.fit?.level ?? "unknown"}">
  <div class="name">${m.name}${current ? html` <span class="current">in use</span>` : ""}</div>
  <div class="facts">${f.architecture} · ${f.sizeLabel} · ${f.quantization} · ${gb(f.sizeBytes)} · ${m.source} · ${uses}</div>
  <div class="fit">${m.fit?.reason ?? ""}</div>
  <button data-action="use" data-role="${role}" data-path="${m.path}" aria-label="Use ${m.name} for ${purpose}"${current ? html` disabled` : ""}>Use</button>
</li>
`;
  });
  const recommended = state.report?.recommended[role];
  const download = recommended
    ? html`<li class="download">
  <div class="name">${recommended.name} <span class="tag">recommended for this machine</span></div>
  <div class="facts">${gb(recommended.sizeBytes)} download · ${recommended.fit.reason}</div>
  <button data-action="download" data-role="${role}" data-id="${recommended.id}" aria-label="Download ${recommended.name}"${state.downloading ? html` disabled` : ""}>Download</button>
</li>`
    : "";
  return html`<section aria-label="${title}">
<h3>${title}</h3>
<h4>On this machine</h4>
${rows.length ? html`<ul>${rows}</ul>` : html`<p class="none">${state.scanning ? "Looking…" : "No GGUF models found on this machine."}</p>`}
${unusable.length ? html`<details><summary>${unusable.length} file(s) that cannot be used</summary><ul>${unusable.map((m) => html`<li>${m.name}: ${m.reason ?? ""}</li>`)}</ul></details>` : ""}
<h4>Download</h4>
<ul>${download}</ul>
<p><button data-action="browse" data-role="${role}" aria-label="Choose a GGUF file for ${purpose}">Choose a GGUF file…</button></p>
</section>
`;
}

/** Whether both roles' models fit together, with the choices when they do not. */
function planHtml(plan: RoleMemoryPlan | undefined, className: string): SafeHtml | "" {
  if (!plan) return "";
  const choices = plan.choices.map((c) => html`<li><button class="link" data-action="choice" data-choice="${c}">${CHOICE_LABELS[c]}</button></li>`);
  return html`<div class="${className} level-${plan.level}" role="status"><p>${plan.message}</p>${choices.length ? html`<ul class="choices">${choices}</ul>` : ""}</div>`;
}
