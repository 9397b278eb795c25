// Starts llama.cpp's llama-server (the binary scripts/build-llama-server.mjs builds) on a loopback port: the team
// server of the remote-engine benchmark and tests. Waits until /health answers; kill/stop wait for the exit.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** The llama-server binary: FREEHOLD_LLAMA_SERVER, else what the build script in `root` prints (building it once). */
export function llamaServerBinary(root: string): string {
  const named = process.env.FREEHOLD_LLAMA_SERVER;
  if (named && existsSync(named)) return named;
  const run = spawnSync(process.execPath, [join(root, "scripts", "build-llama-server.mjs")], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const path = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !existsSync(path)) throw new Error(`scripts/build-llama-server.mjs did not produce llama-server (exit ${run.status}): ${run.stdout}`);
  return path;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

export interface LlamaServerOptions {
  binary: string;
  model: string;
  /** Slots (`--parallel`); the context is `contextPerSlot × parallel`. */
  parallel?: number;
  contextPerSlot?: number;
  port?: number;
  threads?: number;
  batch?: number;
  extraArgs?: string[];
}

export interface RunningLlamaServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** The end of what the server printed, for a failure's message. */
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), and wait for the exit. */
  stop(): Promise<void>;
}

export async function startLlamaServer(options: LlamaServerOptions): Promise<RunningLlamaServer> {
  const port = options.port ?? (await freePort());
  const parallel = options.parallel ?? 1;
  const args = [
    "--model", options.model,
    "--host", "127.0.0.1",
    "--port", String(port),
    "--ctx-size", String((options.contextPerSlot ?? 1024) * parallel),
    "--parallel", String(parallel),
    "--threads", String(options.threads ?? 1),
    "--threads-http", String(Math.max(2, parallel + 1)),
    "--batch-size", String(options.batch ?? 512),
    "--n-gpu-layers", "0",
    "--no-webui",
    "--jinja",
    // No repacked weights: on this machine's Xeon (AMX) the native build's AMX buffers die with SIGILL on Q8_0
    // models (the sandbox does not grant AMX state); both request forms in the bench run on the same server.
    "--no-repack",
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(options.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  // FREEHOLD_LLAMA_SERVER_LOG=FILE keeps the server's whole log (its per-request timings), for looking into a figure.
  const logFile = process.env.FREEHOLD_LLAMA_SERVER_LOG ? `${process.env.FREEHOLD_LLAMA_SERVER_LOG}.${port}` : undefined;
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, d);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (gone()) throw new Error(`llama-server exited while starting (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`llama-server did not become healthy within 180 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    kill: async () => {
      if (!gone()) child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (!gone()) child.kill("SIGTERM");
      const timer = setTimeout(() => !gone() && child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
