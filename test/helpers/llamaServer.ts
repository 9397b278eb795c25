// A real llama.cpp llama-server for the remote-engine tests: the binary comes from scripts/build-llama-server.mjs
// (built once per machine from the llama.cpp source inside node-llama-cpp, cached under ~/.cache/freehold; the test
// runner builds it before the test layers, and FREEHOLD_LLAMA_SERVER names it), started on a free loopback port
// with a model the project generates.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname, resolve } from "node:path";

/** The repository (this file runs from test/helpers under tsx, and from out/test/suite in VS Code's bundles). */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "scripts", "build-llama-server.mjs"))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, "..", "..");
  }
}
const root = repositoryRoot();

let binary: string | undefined;

/** The llama-server binary: FREEHOLD_LLAMA_SERVER, else what the build script prints (building it if needed). */
export function llamaServerBinary(): string {
  if (binary) return binary;
  const named = process.env.FREEHOLD_LLAMA_SERVER;
  if (named && existsSync(named)) return (binary = named);
  const run = spawnSync(process.execPath, [resolve(root, "scripts", "build-llama-server.mjs")], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const path = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !existsSync(path)) throw new Error(`scripts/build-llama-server.mjs did not produce llama-server (exit ${run.status}): ${run.stdout}`);
  return (binary = path);
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
  /** What the server printed (its log), for a failing test's message. */
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
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(llamaServerBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`llama-server exited while starting (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`llama-server did not become healthy within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const gone = () => child.exitCode !== null || child.signalCode !== null;
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

/** A TCP server on loopback that accepts connections and never says anything (a stalled inference server). */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
