// bench:editor's view of VS Code's extension host process: its pid, its RSS, and what it retains after garbage
// collection, read through Node's inspector (SIGUSR1 opens it on 127.0.0.1:9229; Node 20 needs
// --experimental-websocket for the client).
import { readFileSync } from "node:fs";
import { childProcesses, liveParents } from "../test/helpers/processes";

/** The descendant of the server process started as an extension host. */
export function extensionHostPid(serverPid: number): number | undefined {
  const parents = liveParents();
  const queue = [serverPid];
  while (queue.length) {
    for (const child of childProcesses(queue.shift()!, parents)) {
      if (child.cmdline.includes("extensionHost")) return child.pid;
      queue.push(child.pid);
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

type Evaluate = (expression: string) => Promise<unknown>;
type Send = (method: string, params?: object) => Promise<any>;

/**
 * Runs `use` against the process's inspector (opened with SIGUSR1). Rejects with the reason when the inspector
 * cannot be reached (another process on 9229, no WebSocket client).
 */
async function withInspector<T>(pid: number, use: (send: Send, evaluate: Evaluate) => Promise<T>): Promise<T> {
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
  const send: Send = (method, params = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    const evaluate: Evaluate = async (expression) => (await send("Runtime.evaluate", { expression, returnByValue: true })).result.value;
    const inspected = Number(await evaluate("process.pid"));
    if (inspected !== pid) throw new Error(`the inspector on ${INSPECTOR} belongs to process ${inspected}, not the extension host ${pid}`);
    return await use(send, evaluate);
  } finally {
    socket.close();
  }
}

/** What the process retains: collects its garbage twice, then reads the heap in use and the external memory. */
export function retainedMemory(pid: number): Promise<RetainedMemory> {
  return withInspector(pid, async (send, evaluate) => {
    await send("HeapProfiler.collectGarbage");
    await send("HeapProfiler.collectGarbage");
    const usage = (await send("Runtime.getHeapUsage")) as { usedSize: number };
    const external = Number(await evaluate("process.memoryUsage().external"));
    return { heapMb: usage.usedSize / 1048576, externalMb: external / 1048576 };
  });
}

/** An extension's own part of its activation, from the performance marks VS Code's extension host sets. */
export interface OwnActivation {
  /** Loading its entry module (`willLoadExtensionCode` → `didLoadExtensionCode`). */
  requireMs: number;
  /** Its `activate()` call until the promise it returned settled (`willActivateExtension` → `didActivateExtension`). */
  activateMs: number;
  /** Loading the entry module of each extension the host has started, for scale (`requireMs` of each). */
  othersRequireMs: Record<string, number>;
}

/** The marks of `extensionId` in the extension host (VS Code keeps them in `globalThis.MonacoPerformanceMarks`). */
export function ownActivation(pid: number, extensionId: string): Promise<OwnActivation> {
  return withInspector(pid, async (_send, evaluate) => {
    const marks = (await evaluate("globalThis.MonacoPerformanceMarks?.getMarks() ?? []")) as Array<{ name: string; startTime: number }>;
    const at = (what: string) => {
      const mark = marks.find((m) => m.name === `code/extHost/${what}/${extensionId}`);
      if (!mark) throw new Error(`no mark code/extHost/${what}/${extensionId} in the extension host (${marks.length} marks)`);
      return mark.startTime;
    };
    const othersRequireMs: Record<string, number> = {};
    for (const will of marks.filter((m) => m.name.startsWith("code/extHost/willLoadExtensionCode/"))) {
      const id = will.name.slice("code/extHost/willLoadExtensionCode/".length);
      const did = marks.find((m) => m.name === `code/extHost/didLoadExtensionCode/${id}`);
      if (did && id !== extensionId) othersRequireMs[id] = did.startTime - will.startTime;
    }
    return { requireMs: at("didLoadExtensionCode") - at("willLoadExtensionCode"), activateMs: at("didActivateExtension") - at("willActivateExtension"), othersRequireMs };
  });
}
