// `freehold models`: the GGUF models already on this machine with what they are and whether they fit;
// `freehold models pull URI|CATALOG-ID`: a download with a progress bar.
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULTS } from "../../config/defaults";
import { CATALOG, fileNameOfUri, recommendedPair, resolveModelUrl, type CatalogModel } from "../../models/catalog";
import { discoverModels } from "../../models/discovery";
import { downloadModel, DownloadError, type DownloadProgress } from "../../models/download";
import { proxyFromEnv } from "../../models/proxy";
import { assessModelFile, fitFromRequirements, gb } from "../../models/fit";
import { probeHardware, withMemoryBudget } from "../../models/hardware";
import { defaultStoreLocations, type StoreLocation } from "../../models/locations";
import type { ModelListing, ModelsReport, SearchedLocation } from "../../models/report";
import { UsageError } from "../usage";
import { InputError } from "../../completion/cursorDocument";

export interface ModelsFlags {
  json?: boolean;
  "search-path"?: string[];
  out?: string;
  "context-size"?: string;
  "gpu-layers"?: string;
  sha256?: string;
  "memory-budget-mb"?: string;
}

export type { ModelListing, ModelsReport, SearchedLocation } from "../../models/report";

/** Where `models pull` and the editor's download put files: node-llama-cpp's folder, which discovery scans. */
export function defaultDownloadFolder(): string {
  return join(homedir(), ".node-llama-cpp", "models");
}

export function storeLocations(searchPaths: readonly string[]): StoreLocation[] {
  // The tools' stores first: their names ("owner/repo/file", "name:tag") say more than a linked file's.
  return [
    ...defaultStoreLocations({ home: homedir(), env: process.env, platform: process.platform }),
    ...searchPaths.map((path) => ({ kind: "user" as const, path: resolve(path) })),
  ];
}

/** The current folder is looked in too, but only its own files and one level below (it may be a large project). */
const CURRENT_FOLDER_DEPTH = 1;

export async function models(args: string[], flags: ModelsFlags): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === "pull") return pull(rest[0], flags);
  if (sub !== undefined && sub !== "list") throw new UsageError(`Unknown models command ${JSON.stringify(sub)} (list or pull).`);
  const report = await listModels(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatReport(report));
}

export async function listModels(flags: ModelsFlags): Promise<ModelsReport> {
  const contextSize = flags["context-size"] ? Number(flags["context-size"]) : DEFAULTS.model.contextSize;
  if (!Number.isInteger(contextSize) || contextSize < 256) throw new UsageError("--context-size must be an integer of at least 256.");
  const gpuLayers = flags["gpu-layers"] === undefined || flags["gpu-layers"] === "auto" ? "auto" : Number(flags["gpu-layers"]);
  const budgetMb = flags["memory-budget-mb"] === undefined ? 0 : Number(flags["memory-budget-mb"]);
  if (!Number.isFinite(budgetMb) || budgetMb < 0) throw new UsageError("--memory-budget-mb must be a number of megabytes (0: no cap).");
  for (const path of flags["search-path"] ?? []) {
    if (!(await isFolder(resolve(path)))) throw new UsageError(`--search-path ${path} is not a folder.`);
  }
  const locations = storeLocations(flags["search-path"] ?? []);
  const current = { kind: "user" as const, path: process.cwd() };
  const found = await discoverModels(locations);
  const lookInCurrent = !locations.some((l) => resolve(l.path) === current.path);
  const inCurrent = lookInCurrent ? await discoverModels([current], { maxDepth: CURRENT_FOLDER_DEPTH }) : [];
  for (const model of inCurrent) if (!found.some((f) => f.path === model.path)) found.push(model);
  const searched: SearchedLocation[] = [];
  for (const location of lookInCurrent ? [...locations, current] : locations) {
    searched.push({ ...location, exists: await isFolder(location.path), found: found.filter((m) => m.store === location.path).length });
  }
  const probe = await probeHardware({ gpu: gpuLayers !== 0 });
  const llama = probe.llama;
  const state = withMemoryBudget(probe.state, budgetMb * 1048576);
  try {
    const listed: ModelListing[] = [];
    for (const model of found) {
      if (!model.valid) {
        listed.push(model);
        continue;
      }
      try {
        listed.push({ ...model, fit: await assessModelFile(model.path, state, { contextSize, llama, gpuLayers }) });
      } catch (error) {
        listed.push({ ...model, valid: false, facts: undefined, reason: `Could not assess it: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    // A pair that stays loaded together: the chat model is chosen in the memory the completion model leaves.
    const pair = recommendedPair(state);
    const withFit = (entry: CatalogModel) => ({ ...entry, fit: fitFromRequirements({ ramBytes: entry.expectedRamBytes, modelBytes: entry.sizeBytes, contextSize }, state) });
    return { searched, hardware: state, contextSize, models: listed, recommended: { completion: withFit(pair.completion), chat: withFit(pair.chat) } };
  } finally {
    await llama.dispose();
  }
}

function formatReport(report: ModelsReport): string {
  const h = report.hardware;
  const lines = [
    `machine: ${gb(h.freeRamBytes)} of ${gb(h.totalRamBytes)} RAM free, ${h.cpuCores} cores, ${h.gpu ? `${h.gpu.type} GPU with ${gb(h.gpu.freeVramBytes)} VRAM free` : "CPU only"}${h.notes.length ? ` (${h.notes.join("; ")})` : ""}`,
    "",
  ];
  lines.push("looked in:");
  for (const s of report.searched) lines.push(`  ${s.path}  (${s.kind}${s.exists ? `, ${s.found} model${s.found === 1 ? "" : "s"}` : ", not present"})`);
  lines.push("");
  if (report.models.length === 0) lines.push("No GGUF models found in those folders.");
  for (const m of report.models) {
    if (!m.valid || !m.facts) {
      lines.push(`✗ ${m.name}  [${m.source}] ${m.path}`, `    ${m.reason}`);
      continue;
    }
    const f = m.facts;
    const uses = [f.fim ? `completions (FIM: ${f.fimFamily})` : undefined, f.chatTemplate ? "chat" : undefined].filter(Boolean).join(", ") || "no FIM tokens, no chat template";
    lines.push(
      `✓ ${m.name}  [${m.source}] ${m.path}`,
      `    ${f.architecture}, ${f.sizeLabel} parameters, ${f.quantization}, ${gb(f.sizeBytes)}, context ${f.contextLength ?? "?"}; ${uses}`,
      `    ${m.fit?.reason ?? ""}`,
    );
  }
  lines.push("", "recommended downloads for this machine (a pair that stays loaded together):");
  for (const role of ["completion", "chat"] as const) {
    const r = report.recommended[role];
    lines.push(`  ${role}: ${r.name} (${gb(r.sizeBytes)}) — freehold models pull ${r.id}`, `    ${r.fit.reason}`);
  }
  const both = report.recommended.completion.fit.ramBytes + report.recommended.chat.fit.ramBytes;
  lines.push(`  together: ${gb(both)} RAM of ${gb(h.freeRamBytes)} free`);
  return `${lines.join("\n")}\n`;
}

async function pull(target: string | undefined, flags: ModelsFlags): Promise<void> {
  if (!target) throw new UsageError("models pull needs a URI (hf:owner/repo/file.gguf or https://…) or a catalog id.");
  const entry = CATALOG.find((m) => m.id === target);
  const uri = entry?.uri ?? target;
  let url: string;
  let fileName: string;
  try {
    url = resolveModelUrl(uri);
    fileName = fileNameOfUri(uri);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const destination = join(resolve(flags.out ?? defaultDownloadFolder()), fileName);
  // --json: one JSON object per line on stdout (progress, then the result), for the editor to read.
  const bar = flags.json ? undefined : new ProgressBar(process.stderr);
  const onProgress = (p: DownloadProgress) => (bar ? bar.update(p) : process.stdout.write(`${JSON.stringify({ progress: p })}\n`));
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const result = await downloadModel({ url, destination, sha256: flags.sha256 ?? entry?.sha256, signal: controller.signal, onProgress, proxy: (target) => proxyFromEnv(target) });
    bar?.done();
    process.stdout.write(flags.json ? `${JSON.stringify({ result })}\n` : `${result.path}\n`);
  } catch (error) {
    bar?.done();
    // A network or disk problem is not a usage mistake: the message alone, no usage hint.
    if (error instanceof DownloadError) throw new InputError(error.message);
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** One line redrawn in place on a terminal; on a pipe, a line per tenth of the way and one at the end. */
class ProgressBar {
  private lastTenth = -1;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(p: DownloadProgress): void {
    const share = p.totalBytes ? p.receivedBytes / p.totalBytes : 0;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
    const eta = p.etaSeconds !== undefined ? ` ${formatSeconds(p.etaSeconds)} left` : "";
    const line = `${bar} ${Math.floor(share * 100)}% ${gb(p.receivedBytes)}${p.totalBytes ? ` / ${gb(p.totalBytes)}` : ""} ${gb(p.bytesPerSecond)}/s${eta}`;
    if (this.out.isTTY) {
      this.out.write(`\r${line}\u001b[K`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write("\n");
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
