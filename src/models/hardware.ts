// What this machine offers a model: RAM, CPU cores, and the GPU backends that actually start here
// (node-llama-cpp's supported types, tried in order; CPU when none starts, with the reason).
import { availableParallelism, freemem, totalmem } from "node:os";
import type { Llama } from "node-llama-cpp";
import { llamaGpuOption } from "../engine/worker/llamaBuild";

export interface GpuState {
  /** node-llama-cpp's backend name: "cuda", "vulkan" or "metal". */
  type: string;
  totalVramBytes: number;
  freeVramBytes: number;
}

export interface HardwareState {
  totalRamBytes: number;
  freeRamBytes: number;
  cpuCores: number;
  /** Backends node-llama-cpp has binaries and drivers for here (`getLlamaGpuTypes("supported")`). */
  supportedGpuTypes: string[];
  /** The first backend that started; undefined means CPU. */
  gpu?: GpuState;
  /** Why a backend was passed over (one line each). */
  notes: string[];
}

export interface HardwareProbe {
  state: HardwareState;
  /** The Llama instance that started (GPU or CPU), for GGUF insights; dispose it when done. */
  llama: Llama;
}

/** Probes the machine. `gpu: false` skips the GPU backends (the CPU binary only). */
export async function probeHardware(options: { gpu?: boolean } = {}): Promise<HardwareProbe> {
  const lib = await import("node-llama-cpp");
  const notes: string[] = [];
  const supported = (await lib.getLlamaGpuTypes("supported")).filter((t): t is Exclude<typeof t, false> => t !== false);
  const base = { totalRamBytes: totalmem(), freeRamBytes: freemem(), cpuCores: availableParallelism(), supportedGpuTypes: [...supported] };
  if (options.gpu !== false) {
    for (const type of supported) {
      try {
        const llama = await lib.getLlama({ gpu: type, build: "never", logLevel: lib.LlamaLogLevel.error, progressLogs: false });
        const vram = await llama.getVramState();
        if (vram.total > 0) return { llama, state: { ...base, gpu: { type, totalVramBytes: vram.total, freeVramBytes: vram.free }, notes } };
        notes.push(`${type}: no usable device memory`);
        await llama.dispose();
      } catch (error) {
        notes.push(`${type}: ${firstLine(error)}`);
      }
    }
    if (supported.length === 0) notes.push("no GPU backend is available here; running on the CPU");
    else notes.push("no GPU backend started; running on the CPU");
  }
  const llama = await lib.getLlama({ gpu: llamaGpuOption(0), build: "never", logLevel: lib.LlamaLogLevel.error, progressLogs: false });
  return { llama, state: { ...base, notes } };
}

/**
 * The machine as far as Freehold may use it: free RAM capped at the user's memory budget (bytes; undefined or
 * 0: no cap), with a note saying so. Fits, recommendations and the two-model memory plan all read this.
 */
export function withMemoryBudget(state: HardwareState, budgetBytes: number | undefined): HardwareState {
  if (!budgetBytes || budgetBytes <= 0 || budgetBytes >= state.freeRamBytes) return state;
  return { ...state, freeRamBytes: budgetBytes, notes: [...state.notes, `planning within the memory budget of ${Math.round(budgetBytes / 1048576)} MB`] };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
