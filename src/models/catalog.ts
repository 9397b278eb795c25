// The recommended models (catalog.json, data not code), the mapping of `hf:` URIs to download URLs, and the
// choice of the largest catalog model that fits this machine's memory.
import catalogData from "./catalog.json";
import { estimateTokensPerSecond } from "./fit";
import type { HardwareState } from "./hardware";

export type ModelRole = "completion" | "chat";

export interface CatalogModel {
  id: string;
  name: string;
  family: string;
  role: ModelRole;
  /** Parameter count label, e.g. "1.5B". */
  parameters: string;
  quantization: string;
  /** `hf:owner/repo/path/file.gguf` (optionally `#branch`) or an https URL. */
  uri: string;
  fileName: string;
  /** Approximate; the download trusts the server's length, never this. */
  sizeBytes: number;
  /** Weights plus a 4096-token context for completions and chat, on the CPU. */
  expectedRamBytes: number;
  fim: boolean;
  chatTemplate: boolean;
  /** Hex SHA-256 of the file, when known; the download then checks it. */
  sha256?: string;
}

export const CATALOG: readonly CatalogModel[] = (catalogData as { models: CatalogModel[] }).models;

const HF_ENDPOINT = "https://huggingface.co";

/**
 * The https URL to fetch for a model URI. `hf:owner/repo/file.gguf[#branch]` becomes Hugging Face's
 * resolve URL; http(s) URLs pass through. The short `hf:owner/repo:quant` form needs the hub's file list
 * (a network call), so it is refused here.
 */
export function resolveModelUrl(uri: string, endpoint = HF_ENDPOINT): string {
  if (/^https?:\/\//i.test(uri)) return new URL(uri).toString();
  const hf = /^(?:hf|huggingface):(.+)$/i.exec(uri);
  if (!hf) throw new Error(`Not a model URI: ${JSON.stringify(uri)} (expected hf:owner/repo/file.gguf or an https URL).`);
  const [pathPart, branch = "main"] = hf[1].split("#");
  const parts = pathPart.split("/").filter(Boolean);
  if (parts.length < 3 || parts.some((p) => p === ".." || p === ".")) {
    throw new Error(`An hf: URI needs owner/repo/file.gguf: ${JSON.stringify(uri)}.`);
  }
  const [owner, repo, ...file] = parts;
  const encoded = [owner, repo, "resolve", branch, ...file].map(encodeURIComponent).join("/");
  return `${endpoint.replace(/\/+$/, "")}/${encoded}`;
}

/** The file name a URI downloads to. */
export function fileNameOfUri(uri: string): string {
  const url = new URL(resolveModelUrl(uri));
  const name = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  if (!name) throw new Error(`No file name in ${JSON.stringify(uri)}.`);
  return name;
}

/** Completions must keep up with typing; a chat answer can stream slower. */
export const MIN_TOKENS_PER_SECOND: Record<ModelRole, number> = { completion: 15, chat: 8 };

/**
 * The largest catalog model of `role` whose expected RAM fits in the free memory (keeping `headroomBytes` for
 * the editor and the rest) and whose estimated speed keeps up (MIN_TOKENS_PER_SECOND); at the same size a Q8_0
 * before a Q4_K_M. When none is fast enough, the fastest one that fits; when none fits, the smallest.
 */
export function recommendedModel(
  role: ModelRole,
  machine: Pick<HardwareState, "freeRamBytes" | "cpuCores" | "gpu">,
  headroomBytes = 1.5 * 1024 ** 3,
  catalog: readonly CatalogModel[] = CATALOG,
): CatalogModel {
  const candidates = catalog.filter((m) => m.role === role);
  if (candidates.length === 0) throw new Error(`The catalog has no ${role} model.`);
  const budget = machine.freeRamBytes - headroomBytes;
  const speed = (m: CatalogModel) => estimateTokensPerSecond(m.sizeBytes, machine, machine.gpu && m.expectedRamBytes <= machine.gpu.freeVramBytes ? 1 : 0);
  const fitting = candidates.filter((m) => m.expectedRamBytes <= budget);
  const fast = fitting.filter((m) => speed(m) >= MIN_TOKENS_PER_SECOND[role]);
  const byPreference = (a: CatalogModel, b: CatalogModel) =>
    parameterCount(b.parameters) - parameterCount(a.parameters) || quantRank(a.quantization) - quantRank(b.quantization);
  if (fast.length) return [...fast].sort(byPreference)[0];
  if (fitting.length) return [...fitting].sort((a, b) => speed(b) - speed(a))[0];
  return [...candidates].sort((a, b) => a.expectedRamBytes - b.expectedRamBytes)[0];
}

/**
 * A pair sized to the machine: the completion model first (it runs while typing; chosen so that the smallest chat
 * model still fits beside it), then the largest chat model that fits in what it leaves, so both stay loaded together.
 */
export function recommendedPair(
  machine: Pick<HardwareState, "freeRamBytes" | "cpuCores" | "gpu">,
  headroomBytes = 1.5 * 1024 ** 3,
  catalog: readonly CatalogModel[] = CATALOG,
): { completion: CatalogModel; chat: CatalogModel; ramBytes: number } {
  // Leave room for at least the smallest chat model beside the completion model.
  const smallestChat = Math.min(...catalog.filter((m) => m.role === "chat").map((m) => m.expectedRamBytes));
  const completion = recommendedModel("completion", { ...machine, freeRamBytes: machine.freeRamBytes - smallestChat }, headroomBytes, catalog);
  const chat = recommendedModel("chat", { ...machine, freeRamBytes: machine.freeRamBytes - completion.expectedRamBytes }, headroomBytes, catalog);
  return { completion, chat, ramBytes: completion.expectedRamBytes + chat.expectedRamBytes };
}

function parameterCount(label: string): number {
  const match = /^([\d.]+)\s*([KMBT]?)/i.exec(label);
  if (!match) return 0;
  const scale = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[match[2].toUpperCase() as "" | "K" | "M" | "B" | "T"];
  return Number(match[1]) * scale;
}

function quantRank(quant: string): number {
  return quant.toUpperCase() === "Q8_0" ? 0 : 1;
}
