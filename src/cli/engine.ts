import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { EngineClient } from "../engine/client";
import type { GpuLayersSetting, LoadModelParams } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";
import { integerFlag } from "./document";
import { UsageError } from "./usage";

export interface ModelFlags {
  model?: string;
  "context-size"?: string;
  "gpu-layers"?: string;
  threads?: string;
}

export function modelParams(flags: ModelFlags): LoadModelParams {
  if (!flags.model) throw new UsageError("--model FILE is required (a GGUF file; `freehold make-model` writes a test one).");
  const gpu = flags["gpu-layers"];
  const gpuLayers: GpuLayersSetting = gpu === undefined || gpu === "auto" ? DEFAULTS.model.gpuLayers : integerFlag("gpu-layers", gpu, 0)!;
  return {
    path: resolve(flags.model),
    contextSize: integerFlag("context-size", flags["context-size"], 256) ?? DEFAULTS.model.contextSize,
    gpuLayers,
    threads: integerFlag("threads", flags.threads, 1, 256),
  };
}

/** An engine client whose worker is the bundled dist/worker.mjs next to this CLI bundle. */
export function createEngine(verbose: boolean): EngineClient {
  return new EngineClient({
    workerPath: fileURLToPath(new URL("./worker.mjs", import.meta.url)),
    log: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
}
