// A real llama.cpp llama-server for the remote-engine tests (src/bench/llamaServerProcess.ts starts it): the binary
// comes from scripts/build-llama-server.mjs (built once per machine from the llama.cpp source inside
// node-llama-cpp, cached under ~/.cache/freehold; the test runner builds it before the test layers and names it in
// FREEHOLD_LLAMA_SERVER), started on a free loopback port with a model the project generates.
import { existsSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname, resolve } from "node:path";
import { freePort, llamaServerBinary as binaryIn, startLlamaServer as start, type LlamaServerOptions, type RunningLlamaServer } from "../../src/bench/llamaServerProcess";

export { freePort, type RunningLlamaServer };

/** The repository (this file runs from test/helpers under tsx, and from out/test/suite in VS Code's bundles). */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "scripts", "build-llama-server.mjs"))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, "..", "..");
  }
}

let binary: string | undefined;

export function llamaServerBinary(): string {
  return (binary ??= binaryIn(repositoryRoot()));
}

export function startLlamaServer(options: Omit<LlamaServerOptions, "binary">): Promise<RunningLlamaServer> {
  return start({ binary: llamaServerBinary(), ...options });
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
