// What the model-download tests share: local HTTP(S) servers on loopback ports, closed with their open
// connections, and two small checks on the download's destination.
import { stat } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts `server` on a free loopback port; its base URL. */
export async function listenOnLoopback(server: Server, scheme: "http" | "https" = "http"): Promise<string> {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the servers, cutting the connections they still hold open. */
export async function closeServers(...servers: Server[]): Promise<void> {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** The free-space probe of a download with room to spare. */
export const plentyOfSpace = async (): Promise<number> => 1e12;
