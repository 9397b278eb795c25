import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { EngineClient } from "../engine/client";
import type { GpuLayersSetting, LoadModelParams } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";

export interface ModelFlags {
  model?: string;
  "context-size"?: string;
  "gpu-layers"?: string;
  threads?: string;
}

export function modelParams(flags: ModelFlags): LoadModelParams {
  if (!flags.model) throw new Error("--model FILE is required (a GGUF file; `freehold make-model` writes a test one).");
  const gpu = flags["gpu-layers"];
  const gpuLayers: GpuLayersSetting = gpu === undefined || gpu === "auto" ? DEFAULTS.model.gpuLayers : Number(gpu);
  return {
    path: resolve(flags.model),
    contextSize: flags["context-size"] ? Number(flags["context-size"]) : DEFAULTS.model.contextSize,
    gpuLayers,
    threads: flags.threads ? Number(flags.threads) : undefined,
  };
}

/** An engine client whose worker is the bundled dist/worker.mjs next to this CLI bundle. */
export function createEngine(verbose: boolean): EngineClient {
  return new EngineClient({
    workerPath: fileURLToPath(new URL("./worker.mjs", import.meta.url)),
    log: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
}
