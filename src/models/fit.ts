// Whether a model fits this machine with the chosen context size (node-llama-cpp's GGUF insights resolve the
// GPU layers and the RAM/VRAM the weights and the KV cache take), and roughly how fast it will generate.
import type { Llama } from "node-llama-cpp";
import type { HardwareState } from "./hardware";
import { WORKER_SEQUENCES } from "../engine/kvChoice";

export type FitLevel = "fits" | "tight" | "too-big" | "unsupported";

export interface ModelFit {
  level: FitLevel;
  /** RAM the model and its context take (bytes). */
  ramBytes: number;
  vramBytes: number;
  gpuLayers: number;
  contextSize: number;
  /** Estimated generation speed; the self-benchmark after the first load measures the real one. */
  estimatedTokensPerSecond: number;
  /** One line a user can read: what it needs, what is free, how fast. */
  reason: string;
}

/** Above this share of free memory a model still loads but leaves the rest of the machine short. */
const TIGHT_SHARE = 0.8;

/**
 * Generation on a CPU is bound by memory bandwidth: each token reads every weight once. Measured here
 * (DESIGN §9: 0.5B Q8_0 ~30 tokens/s, 1.5B Q4_K_M ~16 tokens/s on 2 threads) that is ~8.5 GB/s per core;
 * a desktop's memory stops scaling at about 40 GB/s. A fully offloaded GPU is taken as 200 GB/s.
 */
const CPU_BYTES_PER_SECOND_PER_CORE = 8.5e9;
const CPU_BYTES_PER_SECOND_MAX = 40e9;
const GPU_BYTES_PER_SECOND = 200e9;

export function estimateTokensPerSecond(modelBytes: number, hardware: Pick<HardwareState, "cpuCores" | "gpu">, offloadedShare = 0): number {
  if (modelBytes <= 0) return 0;
  const cpu = Math.min(CPU_BYTES_PER_SECOND_PER_CORE * Math.max(1, hardware.cpuCores), CPU_BYTES_PER_SECOND_MAX);
  const share = hardware.gpu ? Math.min(1, Math.max(0, offloadedShare)) : 0;
  const seconds = (modelBytes * (1 - share)) / cpu + (modelBytes * share) / GPU_BYTES_PER_SECOND;
  const perSecond = 1 / seconds;
  return perSecond >= 100 ? Math.round(perSecond) : Math.round(perSecond * 10) / 10;
}

/** Fit from known requirements (a catalog entry's expected RAM, or resolved insights). */
export function fitFromRequirements(
  need: { ramBytes: number; vramBytes?: number; modelBytes: number; gpuLayers?: number; totalLayers?: number; contextSize: number },
  hardware: HardwareState,
): ModelFit {
  const vramBytes = need.vramBytes ?? 0;
  const gpuLayers = need.gpuLayers ?? 0;
  const offloaded = need.totalLayers ? gpuLayers / need.totalLayers : 0;
  const speed = estimateTokensPerSecond(need.modelBytes, hardware, offloaded);
  const free = hardware.freeRamBytes;
  const vramFree = hardware.gpu?.freeVramBytes ?? 0;
  const where = gpuLayers > 0 && hardware.gpu ? `, ${gpuLayers} layers on ${hardware.gpu.type} (${gb(vramBytes)} of ${gb(vramFree)} VRAM free)` : "";
  let level: FitLevel;
  if (need.ramBytes > free || vramBytes > vramFree + 1) level = "too-big";
  else if (need.ramBytes > free * TIGHT_SHARE) level = "tight";
  else level = "fits";
  const head = level === "too-big" ? "too big" : level === "tight" ? "fits, barely" : "fits";
  const reason = `${head}: needs ${gb(need.ramBytes)} RAM with a ${need.contextSize}-token context, ${gb(free)} free${where}; ~${speed} tokens/s (estimate)`;
  return { level, ramBytes: need.ramBytes, vramBytes, gpuLayers, contextSize: need.contextSize, estimatedTokensPerSecond: speed, reason };
}

export interface FitOptions {
  contextSize: number;
  /** Sequences in the context (default: the worker's, two completion caches and one for chat). */
  sequences?: number;
  /** The loaded backend; without it node-llama-cpp uses a CPU-only stand-in. */
  llama?: Llama;
  /** `0` keeps everything on the CPU; default: as many layers as fit. */
  gpuLayers?: number | "auto";
}

/** Reads the file's header and resolves its configuration against the given hardware. */
export async function assessModelFile(path: string, hardware: HardwareState, options: FitOptions): Promise<ModelFit> {
  const { readGgufFileInfo, GgufInsights } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false });
  const insights = await GgufInsights.from(info, options.llama);
  if (!insights.isSupportedByLlamaCpp) {
    return {
      level: "unsupported",
      ramBytes: 0,
      vramBytes: 0,
      gpuLayers: 0,
      contextSize: options.contextSize,
      estimatedTokensPerSecond: 0,
      reason: `unsupported: this llama.cpp cannot run the ${String(info.metadata.general?.architecture ?? "unknown")} architecture`,
    };
  }
  const onGpu = hardware.gpu !== undefined && options.gpuLayers !== 0;
  const sequences = options.sequences ?? WORKER_SEQUENCES;
  const resolved = await insights.configurationResolver.resolveAndScoreConfig(
    {
      targetContextSize: options.contextSize * sequences,
      targetGpuLayers: onGpu ? (typeof options.gpuLayers === "number" ? options.gpuLayers : undefined) : 0,
    },
    {
      getRamState: async () => ({ total: hardware.totalRamBytes, free: hardware.freeRamBytes }),
      getSwapState: async () => ({ total: 0, free: 0 }),
      getVramState: async () => ({ total: hardware.gpu?.totalVramBytes ?? 0, free: hardware.gpu?.freeVramBytes ?? 0, unifiedSize: 0 }),
      ...(onGpu ? {} : { llamaGpu: false as const, llamaSupportsGpuOffloading: false }),
    },
  );
  const values = resolved.resolvedValues;
  return fitFromRequirements(
    {
      ramBytes: values.totalRamUsage,
      vramBytes: values.totalVramUsage,
      modelBytes: insights.modelSize,
      gpuLayers: values.gpuLayers,
      totalLayers: insights.totalLayers,
      contextSize: options.contextSize,
    },
    hardware,
  );
}

export function gb(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.ceil(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
