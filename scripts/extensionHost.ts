// bench:editor's view of VS Code's extension host process: its pid, its RSS, and what it retains after garbage
// collection, read through Node's inspector (SIGUSR1 opens it on 127.0.0.1:9229; Node 20 needs
// --experimental-websocket for the client).
import { readFileSync, readdirSync } from "node:fs";

/** The descendant of the server process started as an extension host. */
export function extensionHostPid(serverPid: number): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const queue = [serverPid];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const child of children.get(pid) ?? []) {
      try {
        if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes("extensionHost")) return child;
      } catch {
        // gone
      }
      queue.push(child);
    }
  }
  return undefined;
}

export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
  } catch {
    return NaN;
  }
}

export interface RetainedMemory {
  /** V8's heap in use after two full collections. */
  heapMb: number;
  /** Memory outside the heap held by JavaScript objects (buffers, WebAssembly memories: tree-sitter reserves 32 MB). */
  externalMb: number;
}

const INSPECTOR = "http://127.0.0.1:9229";

/**
 * What the process retains: collects its garbage twice through the inspector, then reads the heap in use and
 * the external memory. Rejects with the reason when the inspector cannot be reached (another process on 9229,
 * no WebSocket client).
 */
export async function retainedMemory(pid: number): Promise<RetainedMemory> {
  if (typeof WebSocket !== "function") throw new Error("no WebSocket client (run node with --experimental-websocket)");
  process.kill(pid, "SIGUSR1");
  let url: string | undefined;
  for (let i = 0; i < 50 && !url; i++) {
    try {
      const targets = (await (await fetch(`${INSPECTOR}/json/list`)).json()) as Array<{ webSocketDebuggerUrl?: string }>;
      url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) throw new Error(`the extension host's inspector did not open on ${INSPECTOR}`);

  const socket = new WebSocket(url);
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let next = 0;
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`could not connect to ${url}`)), { once: true });
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    const evaluate = async (expression: string) => (await send("Runtime.evaluate", { expression, returnByValue: true })).result.value;
    const inspected = Number(await evaluate("process.pid"));
    if (inspected !== pid) throw new Error(`the inspector on ${INSPECTOR} belongs to process ${inspected}, not the extension host ${pid}`);
    await send("HeapProfiler.collectGarbage");
    await send("HeapProfiler.collectGarbage");
    const usage = (await send("Runtime.getHeapUsage")) as { usedSize: number };
    const external = Number(await evaluate("process.memoryUsage().external"));
    return { heapMb: usage.usedSize / 1048576, externalMb: external / 1048576 };
  } finally {
    socket.close();
  }
}
