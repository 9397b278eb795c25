// The editor's side of models: scans the machine (through the CLI), applies a choice to the settings and
// loads it without a reload, downloads with a cancellable progress notification, measures the loaded model
// once, and unloads it after the configured idle time.
import { dirname } from "node:path";
import * as vscode from "vscode";
import { EngineClient, type EngineStatus } from "../../engine/client";
import type { ModelsReport } from "../../models/report";
import { CATALOG, type CatalogModel, type ModelRole } from "../../models/catalog";
import { gb } from "../../models/fit";
import { runSelfBenchmark, type BenchmarkResult } from "../../models/selfBenchmark";
import type { SetupState } from "./setupPage";
import { chatOnDemandSettings, IdleUnloader } from "../../models/idleUnload";
import type { RoleEngines } from "../../models/roleEngines";
import { planRoleMemory, type RoleMemoryPlan } from "../../models/rolePlan";
import { modelFromSettings, roleModelsFromSettings } from "../settings";
import { completionSwitchItems } from "../completion/completionSwitches";
import type { ModelsCli } from "./modelsCli";
import { downloadFolder, idleUnloadMinutes, loadSettings, memoryBudgetMb, modelPathSetting, searchPaths, setModelPath } from "./modelSettings";

const BENCHMARKS_KEY = "freehold.benchmarks";
/** The self-benchmark waits for this long without requests after the first load. */
const BENCHMARK_AFTER_QUIET_MS = 20_000;

export interface ModelsControllerDeps {
  cli: ModelsCli;
  client: EngineClient;
  /** Both roles' engines (the completion one is `client`). */
  roles?: RoleEngines;
  /** dist/worker.mjs: the self-benchmark runs in a worker of its own. */
  workerPath: string;
  globalState: vscode.Memento;
  log: (line: string) => void;
  /** Shows tooltip lines under the status bar item. */
  setStatusDetail: (lines: string[]) => void;
}

export class ModelsController implements vscode.Disposable {
  private report: ModelsReport | undefined;
  private scanning: Promise<ModelsReport | undefined> | undefined;
  private scanError: string | undefined;
  private downloading: { name: string; role: ModelRole; controller: AbortController } | undefined;
  private benchmarkRun: AbortController | undefined;
  private benchmarkTimer: NodeJS.Timeout | undefined;
  /** Models measured (or tried) in this session: one self-benchmark per model. */
  private readonly benchmarked = new Set<string>();
  private readonly idle: IdleUnloader;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** "Use one model for both": true while the chat model setting is empty, or until the user unticks it. */
  sameForBoth = modelPathSetting("chat") === "";

  constructor(private readonly deps: ModelsControllerDeps) {
    this.idle = new IdleUnloader({
      idleMs: () => idleUnloadMinutes("completion") * 60_000,
      currentState: () => deps.client.status.state,
      unload: () => {
        deps.log(`[models] unloading the model after ${idleUnloadMinutes("completion")} idle minute(s); it loads again on next use`);
        return deps.client.stopWorker();
      },
    });
  }

  /** What the Set Up view shows (setupPage.ts renders it). */
  get state(): SetupState {
    const completionPath = modelFromSettings()?.path ?? "";
    return {
      report: this.report,
      scanning: this.scanning !== undefined,
      scanError: this.scanError,
      downloading: this.downloading?.name,
      completionPath,
      chatPath: modelPathSetting("chat"),
      sameForBoth: this.sameForBoth,
      benchmark: this.benchmarkOf(this.deps.client.model?.path),
      memoryPlan: this.memoryPlan(),
      recommendedPair: this.recommendedPair(),
    };
  }

  private currentPaths(): string[] {
    return [modelFromSettings()?.path ?? "", modelPathSetting("chat")].filter((p) => p !== "");
  }

  /** Both roles' models against free memory, from the last scan (undefined until both are scanned). */
  memoryPlan(): RoleMemoryPlan | undefined {
    const report = this.report;
    const completionPath = modelFromSettings()?.path;
    const chatParams = roleModelsFromSettings().chat;
    if (!report || !completionPath) return undefined;
    const listing = (path: string) => report.models.find((m) => m.path === path && m.fit);
    const completion = listing(completionPath);
    if (!completion?.fit) return undefined;
    const shared = !chatParams || chatParams.path === completionPath;
    const chat = shared ? undefined : listing(chatParams.path);
    if (!shared && !chat?.fit) return undefined;
    return planRoleMemory({ name: completion.name, ramBytes: completion.fit.ramBytes }, chat?.fit ? { name: chat.name, ramBytes: chat.fit.ramBytes } : undefined, report.hardware.freeRamBytes);
  }

  private recommendedPair(): RoleMemoryPlan | undefined {
    const recommended = this.report?.recommended;
    if (!recommended?.completion || !recommended.chat) return undefined;
    return planRoleMemory(
      { name: recommended.completion.name, ramBytes: recommended.completion.fit.ramBytes },
      { name: recommended.chat.name, ramBytes: recommended.chat.fit.ramBytes },
      this.report!.hardware.freeRamBytes,
    );
  }

  /** Scans the machine again (one scan at a time). */
  refresh(): Promise<ModelsReport | undefined> {
    if (this.scanning) return this.scanning;
    const { contextSize, gpuLayers } = loadSettings();
    this.scanning = this.deps.cli
      // The folders of the models in use too: the current model is listed even outside the usual places.
      .list([...new Set([...searchPaths(), ...this.currentPaths().map((p) => dirname(p))])], contextSize, gpuLayers, memoryBudgetMb())
      .then((report) => {
        this.report = report;
        this.scanError = undefined;
        this.deps.log(`[models] found ${report.models.filter((m) => m.valid).length} usable model(s), ${report.models.filter((m) => !m.valid).length} unusable`);
        return report;
      })
      .catch((error: unknown) => {
        this.scanError = error instanceof Error ? error.message : String(error);
        this.deps.log(`[models] scan failed: ${this.scanError}`);
        return undefined;
      })
      .finally(() => {
        this.scanning = undefined;
        this.changed.fire();
      });
    this.changed.fire();
    return this.scanning;
  }

  async scanned(): Promise<ModelsReport | undefined> {
    return this.report ?? (await this.refresh());
  }

  setSameForBoth(value: boolean): void {
    this.sameForBoth = value;
    if (value && modelPathSetting("chat") !== "") void setModelPath("chat", "").then(() => this.changed.fire());
    this.changed.fire();
  }

  /** Makes `path` the model of `role` and (for completions) loads it now, without a reload. */
  async use(role: ModelRole, path: string): Promise<void> {
    await setModelPath(role, path);
    if (role === "completion" && this.sameForBoth) await setModelPath("chat", "");
    this.changed.fire();
    const roles = this.deps.roles;
    if (!roles) return;
    roles.setModels(roleModelsFromSettings());
    const engine = role === "completion" ? roles.completion : roles.chat;
    try {
      await engine.ensureModel();
    } catch (error) {
      void vscode.window.showErrorMessage(`Freehold could not load ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** "Load the chat model only when asked": a short idle time, so a separate chat model is unloaded soon after use. */
  async chatOnDemand(): Promise<void> {
    const writes = chatOnDemandSettings();
    for (const { name, value } of writes) await vscode.workspace.getConfiguration().update(name, value, vscode.ConfigurationTarget.Global);
    this.deps.log(`[models] chat on demand: ${writes.map(({ name, value }) => `${name} = ${value}`).join(", ")}`);
    if (this.deps.roles?.separate) {
      await this.deps.roles.chat.stopWorker();
      this.deps.log("[models] chat on demand: the chat model is unloaded until the next question");
    }
    const said = writes.map(({ name, value }) => `${name}: ${value}`).join(", ");
    void vscode.window.showInformationMessage(`Freehold: the chat model now loads when you ask something and unloads after ${idleUnloadMinutes("chat")} idle minutes (${said}); the completion model keeps its own (freehold.model.idleUnloadMinutes: ${idleUnloadMinutes("completion")}).`);
    this.changed.fire();
  }

  async browse(role: ModelRole): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: role === "completion" ? "Use for completions" : "Use for chat",
      filters: { "GGUF models": ["gguf"], "All files": ["*"] },
      title: "Choose a GGUF model file",
    });
    if (picked?.[0]) await this.use(role, picked[0].fsPath);
  }

  /** Downloads a catalog model with a cancellable progress notification, then uses it. */
  async download(role: ModelRole, id: string): Promise<void> {
    const entry = CATALOG.find((m) => m.id === id);
    if (!entry) throw new Error(`Unknown catalog model ${id}.`);
    if (this.downloading) {
      void vscode.window.showInformationMessage(`Freehold is already downloading ${this.downloading.name}.`);
      return;
    }
    const controller = new AbortController();
    this.downloading = { name: entry.name, role, controller };
    this.changed.fire();
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Downloading ${entry.name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          return this.deps.cli.pull(
            entry.id,
            downloadFolder(),
            (p) => {
              const share = p.totalBytes ? (p.receivedBytes / p.totalBytes) * 100 : 0;
              const left = p.etaSeconds !== undefined ? `, ${formatSeconds(p.etaSeconds)} left` : "";
              progress.report({
                increment: Math.max(0, share - reported),
                message: `${gb(p.receivedBytes)}${p.totalBytes ? ` of ${gb(p.totalBytes)}` : ""} at ${gb(p.bytesPerSecond)}/s${left}`,
              });
              reported = Math.max(reported, share);
            },
            controller.signal,
          );
        },
      );
      this.deps.log(`[models] downloaded ${entry.name} to ${result.path} (${result.bytes} bytes, resumed from ${result.resumedFromBytes})`);
      this.downloading = undefined;
      await this.use(role, result.path);
      void this.refresh();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (controller.signal.aborted) void vscode.window.showInformationMessage(`Download of ${entry.name} cancelled; it resumes where it stopped next time.`);
      else void vscode.window.showErrorMessage(`Freehold could not download ${entry.name}: ${message}`);
    } finally {
      this.downloading = undefined;
      this.changed.fire();
    }
  }

  /** The model picker (also the status-bar menu, with `switches`): models on this machine, downloads, a file, the log. */
  async pick(role: ModelRole = "completion", { switches = false } = {}): Promise<void> {
    type Item = vscode.QuickPickItem & { run?: () => Promise<void> | void };
    const quickPick = vscode.window.createQuickPick<Item>();
    quickPick.title = role === "completion" ? "Freehold: model for completions" + (this.sameForBoth ? " and chat" : "") : "Freehold: model for chat";
    quickPick.placeholder = switches ? "Inline completions on or off, models on this machine, downloads" : "Models on this machine first, then downloads";
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    const fill = () => {
      quickPick.items = [...(switches ? completionSwitchItems() : []), ...this.pickItems(role, switches)];
      quickPick.busy = this.scanning !== undefined;
    };
    fill();
    const subscription = this.onDidChange(fill);
    if (!this.report) void this.refresh();
    quickPick.show();
    const chosen = await new Promise<Item | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
    });
    subscription.dispose();
    quickPick.dispose();
    await chosen?.run?.();
  }

  private pickItems(role: ModelRole, switches: boolean): Array<vscode.QuickPickItem & { run?: () => Promise<void> | void }> {
    const current = role === "completion" ? modelFromSettings()?.path : modelPathSetting("chat");
    const items: Array<vscode.QuickPickItem & { run?: () => Promise<void> | void }> = [];
    items.push({ label: "On this machine", kind: vscode.QuickPickItemKind.Separator });
    const usable = (this.report?.models ?? []).filter((m) => m.valid && m.facts);
    const suits = (m: (typeof usable)[number]) => (role === "completion" ? m.facts!.fim : m.facts!.chatTemplate);
    // The model in use first, marked; then the ones that suit the role.
    for (const m of currentFirst([...usable.filter(suits), ...usable.filter((m) => !suits(m))], current)) {
      const f = m.facts!;
      items.push({
        label: `${m.path === current ? "$(check) " : ""}${m.name}${m.path === current ? " (in use)" : ""}`,
        description: `${f.architecture} ${f.sizeLabel} ${f.quantization} · ${gb(f.sizeBytes)} · ${m.source}`,
        detail: `${f.fim ? "completions (FIM)" : "no FIM tokens"}${f.chatTemplate ? ", chat" : ""} — ${m.fit?.reason ?? ""}`,
        run: () => this.use(role, m.path),
      });
    }
    if (usable.length === 0) items.push({ label: this.scanning ? "$(loading~spin) Looking for GGUF models…" : "No GGUF models found on this machine" });
    items.push({ label: "Download", kind: vscode.QuickPickItemKind.Separator });
    const recommended = this.report?.recommended[role];
    const catalog = CATALOG.filter((m) => m.role === role);
    const ordered: CatalogModel[] = recommended ? [catalog.find((m) => m.id === recommended.id)!, ...catalog.filter((m) => m.id !== recommended.id)] : catalog;
    for (const entry of ordered) {
      items.push({
        label: `$(cloud-download) ${entry.name}${entry.id === recommended?.id ? " (recommended for this machine)" : ""}`,
        description: `${gb(entry.sizeBytes)}, needs about ${gb(entry.expectedRamBytes)} RAM`,
        detail: entry.id === recommended?.id ? recommended.fit.reason : undefined,
        run: () => this.download(role, entry.id),
      });
    }
    items.push({ label: "Other", kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: "$(folder-opened) Choose a GGUF file…", run: () => this.browse(role) });
    items.push({
      label: "$(refresh) Look for models again",
      run: () => {
        void this.refresh();
        return this.pick(role, { switches });
      },
    });
    if (this.deps.client.model) items.push({ label: "$(debug-stop) Unload the model", run: () => this.deps.client.stopWorker() });
    items.push({
      label: "$(output) Show Log",
      run: async () => {
        await vscode.commands.executeCommand("freehold.showLog");
      },
    });
    return items;
  }

  /** Called with every engine status: idle unload timer and the first-load self-benchmark. */
  onStatus(status: EngineStatus): void {
    this.idle.onState(status.state);
    if (status.state !== "ready" || !status.model) {
      // The user's requests come first: a running measurement stops and is tried again when things are quiet.
      this.clearBenchmarkTimer();
      if (status.state === "generating" || status.state === "loading") this.benchmarkRun?.abort();
      return;
    }
    const measured = this.benchmarkOf(status.model.path);
    if (measured) {
      this.showBenchmark(measured);
      return;
    }
    if (this.benchmarked.has(status.model.path) || this.benchmarkRun) return;
    const path = status.model.path;
    this.clearBenchmarkTimer();
    this.benchmarkTimer = setTimeout(() => void this.benchmark(path), BENCHMARK_AFTER_QUIET_MS);
    this.benchmarkTimer.unref?.();
  }

  private clearBenchmarkTimer(): void {
    if (this.benchmarkTimer) clearTimeout(this.benchmarkTimer);
    this.benchmarkTimer = undefined;
  }

  /**
   * Measures the model in a worker of its own, so the editor's engine keeps its state, its KV cache and its
   * request counts; it shares the file's pages with the loaded model (mmap), not its memory for weights.
   */
  private async benchmark(path: string): Promise<void> {
    const params = modelFromSettings();
    if (this.benchmarkRun || !params || params.path !== path || this.deps.client.status.state !== "ready") return;
    const run = new AbortController();
    this.benchmarkRun = run;
    const engine = new EngineClient({ workerPath: this.deps.workerPath, log: (line) => this.deps.log(`[benchmark] ${line}`) });
    try {
      this.deps.log(`[models] measuring ${path} (about 10 s, in a separate worker)`);
      engine.setModel(params);
      await engine.ensureModel();
      const result = await runSelfBenchmark(engine, { durationMs: 10_000, signal: run.signal });
      if (run.signal.aborted) {
        this.deps.log("[models] measurement interrupted by a request; it runs again when the editor is quiet");
        return;
      }
      this.benchmarked.add(path);
      if (!result) return;
      const all = this.deps.globalState.get<Record<string, BenchmarkResult>>(BENCHMARKS_KEY, {});
      await this.deps.globalState.update(BENCHMARKS_KEY, { ...all, [path]: result });
      this.deps.log(`[models] measured ${result.generationTokensPerSecond} tokens/s generation, ${result.promptTokensPerSecond} tokens/s prompt over ${result.runs} runs`);
      if (this.deps.client.model?.path === path) this.showBenchmark(result);
      this.changed.fire();
    } catch (error) {
      this.benchmarked.add(path);
      this.deps.log(`[models] self-benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.benchmarkRun = undefined;
      await engine.dispose();
    }
  }

  private benchmarkOf(path: string | undefined): BenchmarkResult | undefined {
    return path ? this.deps.globalState.get<Record<string, BenchmarkResult>>(BENCHMARKS_KEY, {})[path] : undefined;
  }

  private showBenchmark(result: BenchmarkResult): void {
    this.deps.setStatusDetail([`Measured here: ${result.generationTokensPerSecond} tokens/s generated, ${result.promptTokensPerSecond} tokens/s prompt`]);
  }

  dispose(): void {
    this.idle.clear();
    this.clearBenchmarkTimer();
    this.benchmarkRun?.abort();
    this.downloading?.controller.abort();
    this.changed.dispose();
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** The list with the model at `currentPath` moved to the front (the rest keep their order). */
export function currentFirst<T extends { path: string }>(models: readonly T[], currentPath: string | undefined): T[] {
  return [...models.filter((m) => m.path === currentPath), ...models.filter((m) => m.path !== currentPath)];
}
