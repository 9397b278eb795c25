// Which llama.cpp binary the worker loads: node-llama-cpp's prebuilt one, or a local build of its bundled
// llama.cpp source made with native CPU flags by `npm run build:native-llama` (opt-in, never compiled silently).
import type { Llama, LlamaLogLevel } from "node-llama-cpp";
import type { LlamaBuildChoice } from "../protocol";

type NodeLlamaCpp = typeof import("node-llama-cpp");

/**
 * The custom CMake option the native build is made with. node-llama-cpp names a local build's folder after
 * its custom options, so the native build lives beside the prebuilt binary instead of replacing it, and
 * `getLlama` finds it only when asked for it with the same options.
 */
export const NATIVE_CMAKE_OPTIONS: Readonly<Record<string, string>> = { GGML_NATIVE: "ON" };

export const LLAMA_BUILD_ENV = "FREEHOLD_LLAMA_BUILD";

export function parseLlamaBuildChoice(value: string | undefined): LlamaBuildChoice | undefined {
  return value === "auto" || value === "prebuilt" || value === "native" ? value : undefined;
}

export interface LoadedLlama {
  llama: Llama;
  /** "native" when the local native build loaded, else "prebuilt". */
  build: "native" | "prebuilt";
}

/**
 * "auto": the native build when one was made, else the prebuilt binary (the worker's default is "prebuilt").
 * "native": the native build or an error. "prebuilt": never the native build.
 */
export async function loadLlama(
  lib: NodeLlamaCpp,
  choice: LlamaBuildChoice,
  options: { gpu: "auto" | "metal" | false; maxThreads: number; logLevel: LlamaLogLevel },
): Promise<LoadedLlama> {
  // build "never": a user's machine is never asked to compile silently.
  const base = { ...options, build: "never" as const, progressLogs: false };
  if (choice !== "prebuilt") {
    try {
      const llama = await lib.getLlama({ ...base, cmakeOptions: { ...NATIVE_CMAKE_OPTIONS }, usePrebuiltBinaries: false });
      return { llama, build: "native" };
    } catch (error) {
      if (choice === "native") {
        throw new Error(`No native llama.cpp build was found (run \`npm run build:native-llama\`): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { llama: await lib.getLlama(base), build: "prebuilt" };
}

/**
 * getLlama's `gpu` option for a model's `gpuLayers`: 0 asks for the CPU binary, anything else for the best
 * backend the machine has. Apple Silicon is the exception: node-llama-cpp publishes only a Metal binary there
 * (`@node-llama-cpp/mac-arm64-metal`), so `gpu: false` would look for a binary that does not exist and fail
 * with build "never"; the Metal binary with no layers offloaded runs on the CPU.
 */
export function llamaGpuOption(gpuLayers: number | "auto", platform: NodeJS.Platform = process.platform, arch: string = process.arch): "auto" | "metal" | false {
  if (gpuLayers !== 0) return "auto";
  return platform === "darwin" && arch === "arm64" ? "metal" : false;
}

/**
 * Whether to map the model file instead of reading it. On the CPU, llama.cpp copies the weights it can repack for
 * its SIMD kernels (CPU_REPACK, Q8_0 and Q4 types) into memory of its own, so a mapped file stays resident beside
 * its copy: measured here (2 cores, node-llama-cpp 3.21.1), the worker held 1,480 MB mapped against 1,110 MB read
 * for the 0.5B Q8_0 shape, and 3,950 against 2,630 MB for 1.5B, at the same speed; reading costs ~0.7 s / 1.1 s
 * more at load. With layers offloaded to a GPU (or Metal's unified memory) mapping is the better choice.
 */
export function mapModelFile(gpuLayers: number | "auto", llamaGpu: string | false): boolean {
  return gpuLayers !== 0 && llamaGpu !== false;
}
