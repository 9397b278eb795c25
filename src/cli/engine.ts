import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { EngineClient } from "../engine/client";
import type { Engine } from "../engine/engine";
import { RemoteEngine } from "../engine/remote/remoteEngine";
import { parseServerConfig, SERVER_KINDS } from "../engine/remote/serverConfig";
import type { GpuLayersSetting, LoadModelParams } from "../engine/protocol";
import { DEFAULTS } from "../config/defaults";
import { integerFlag } from "./document";
import { UsageError } from "./usage";

export interface ModelFlags {
  model?: string;
  server?: string;
  "server-kind"?: string;
  "server-model"?: string;
  "context-size"?: string;
  "gpu-layers"?: string;
  threads?: string;
}

export function modelParams(flags: ModelFlags): LoadModelParams {
  if (!flags.model) throw new UsageError("--model FILE is required (a GGUF file; `freehold make-model` writes a test one), or --server URL to use a team's server.");
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

/**
 * The engine the flags ask for: a team's server with `--server URL [--server-kind K] [--server-model M]`
 * (the same remote engine as the editor's), else the local worker on `--model FILE`.
 */
export function engineFromFlags(flags: ModelFlags, verbose: boolean): Engine {
  if (!flags.server) {
    const engine = createEngine(verbose);
    engine.setModel(modelParams(flags));
    return engine;
  }
  if (flags.model) throw new UsageError("Give either --model FILE (run locally) or --server URL (use a server), not both.");
  const kind = flags["server-kind"] ?? "llama-server";
  if (!SERVER_KINDS.includes(kind as never)) throw new UsageError(`--server-kind takes ${SERVER_KINDS.join(", ")}.`);
  const parsed = parseServerConfig({ url: flags.server, kind, model: flags["server-model"] });
  if (!parsed || "problem" in parsed) throw new UsageError(parsed ? parsed.problem.replace("in the server setting's \"model\"", "with --server-model") : "--server needs a URL.");
  return new RemoteEngine({
    server: parsed.config,
    // The CLI runs where its user typed the URL: that is their consent. A key for a proxy comes from the environment.
    apiKey: () => process.env.FREEHOLD_SERVER_API_KEY,
    windowId: `cli-${process.pid}`,
    log: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
}
