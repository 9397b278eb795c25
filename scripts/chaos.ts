// `npm run chaos [-- --rounds N] [--seed S] [--json]`: fault injection against the real engine (plain Node, the real
// worker bundle, real node-llama-cpp, generated models). Each round starts one workload — a model load, a keystroke
// completion, a streaming chat turn (with a keystroke typed into it), a refactor-like rewrite, a warm-ahead or a
// self-benchmark in its own worker — and injects one fault at a random moment: SIGKILL, a short or a long
// SIGSTOP/SIGCONT of the worker, a switch to a truncated / non-GGUF / unknown-architecture / missing model or to
// another good one, or a full disk while the conversation is saved. After every round the invariants are checked:
//   settle       every request settles (answer or clear error) within its bound
//   host         the host never throws and its event loop never stalls
//   one-worker   at most one editor worker process exists at any sample
//   fork-rate    forks in any minute stay under the restart policy's cap
//   status       the status ends truthful: ready with the wanted model (and it answers), or error with the reason
//   messages     the conversation file holds every message the user sent
//   leftovers    (at the end) no worker process and no temp file outlives the run
// Prints a table (stderr with --json) and, with --json, one JSON line on stdout:
//   {"rounds","faults":{kind:count},"violations":[…],"maxSettleMs","forksPerMinuteMax", …}
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, rm, statfs, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { EngineClient } from "../src/engine/client";
import { EngineError, type LoadModelParams } from "../src/engine/protocol";
import { ChatTurns } from "../src/chat/chatTurn";
import { ConversationStore } from "../src/chat/conversationStore";
import { ConversationTurns } from "../src/chat/conversationTurns";
import type { Conversation } from "../src/chat/types";
import { runSelfBenchmark } from "../src/models/selfBenchmark";
import { tinyModelPath } from "../test/helpers/models";
import { writeFaultModels } from "../test/helpers/faultModels";
import { alive, childProcesses } from "../test/helpers/processes";

/** Fault kinds; signals are drawn more often than each single kind of bad file. */
const FAULTS = [
  "sigkill",
  "sigstop-short",
  "sigstop-long",
  "switch-truncated",
  "switch-not-gguf",
  "switch-unknown-arch",
  "switch-missing",
  "switch-other-model",
  "disk-full",
] as const;
type Fault = (typeof FAULTS)[number];
const FAULT_DRAW: readonly Fault[] = [...FAULTS, "sigkill", "sigkill", "sigstop-short", "sigstop-long", "disk-full"];
const WORKLOADS = ["load", "completion", "chat", "rewrite", "warm", "benchmark"] as const;
type Workload = (typeof WORKLOADS)[number];
const INVARIANTS = ["settle", "host", "one-worker", "fork-rate", "status", "messages", "leftovers"] as const;
type Invariant = (typeof INVARIANTS)[number];

interface Violation {
  round: number;
  invariant: Invariant;
  fault?: Fault;
  workload?: Workload;
  detail: string;
}

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "100" },
    seed: { type: "string" },
    json: { type: "boolean", default: false },
    "hang-ms": { type: "string", default: "5000" },
    "bound-ms": { type: "string", default: "120000" },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 100000;
const hangMs = Number(values["hang-ms"]);
const boundMs = Number(values["bound-ms"]);
const out = values.json ? process.stderr : process.stdout;
const say = (line: string) => out.write(`${line}\n`);

/** mulberry32: a small seeded generator, so a failing run can be repeated with --seed. */
function rng(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The self-benchmark's worker is marked through its environment: it is not an editor worker. */
const BENCH_MARK = "FREEHOLD_CHAOS_BENCH=1";

/** Editor worker processes that are children of this process (zombies excluded: they hold nothing). */
function workerChildren(): number[] {
  return childProcesses(process.pid)
    .filter(({ pid, cmdline }) => {
      if (!cmdline.includes("worker.mjs")) return false;
      try {
        return !readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(BENCH_MARK);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(({ pid }) => pid);
}

function signal(pid: number | undefined, name: NodeJS.Signals): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

let cleanupSync: (() => void) | undefined;
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.on(name, () => {
    cleanupSync?.();
    process.exit(130);
  });
}

async function main(): Promise<void> {
  const runStarted = Date.now();
  const workerPath = resolve(__dirname, "..", "dist", "worker.mjs");
  if (!existsSync(workerPath)) throw new Error("dist/worker.mjs is missing: run `npm run build` first.");
  const violations: Violation[] = [];
  const checks = Object.fromEntries(INVARIANTS.map((name) => [name, 0])) as Record<Invariant, number>;
  const faults = Object.fromEntries(FAULTS.map((name) => [name, 0])) as Record<Fault, number>;
  const workloads = Object.fromEntries(WORKLOADS.map((name) => [name, 0])) as Record<Workload, number>;
  let roundNo = 0;
  let current: { fault?: Fault; workload?: Workload } = {};
  const violate = (invariant: Invariant, detail: string) => violations.push({ round: roundNo, invariant, ...current, detail });
  process.on("uncaughtException", (error) => violate("host", `uncaught exception: ${error.stack ?? error.message}`));
  process.on("unhandledRejection", (reason) => violate("host", `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();

  // Models, broken models and the conversation folder, all in one temp folder removed at the end (also on Ctrl+C
  // or a crash of this script).
  const dir = await mkdtemp(join(tmpdir(), "freehold-chaos-"));
  cleanupSync = () => {
    spawnSync("umount", [join(dir, "chats")], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  const good: LoadModelParams = { path: await tinyModelPath(), contextSize: 1024, gpuLayers: 0, threads: 2 };
  const other: LoadModelParams = { ...good, path: await tinyModelPath({ seed: 2 }) };
  const broken = await writeFaultModels(good.path, dir);
  const chatDir = join(dir, "chats");
  await mkdir(chatDir);
  // A full disk: a small tmpfs (as root) that a filler file fills; elsewhere a folder made read-only.
  let diskMethod: "tmpfs" | "read-only folder" = "read-only folder";
  if (process.getuid?.() === 0 && spawnSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", chatDir]).status === 0) diskMethod = "tmpfs";
  const filler = join(chatDir, "filler");
  const fillDisk = async () => {
    if (diskMethod === "tmpfs") {
      const free = await statfs(chatDir);
      await writeFile(filler, Buffer.alloc(Number(free.bavail) * Number(free.bsize))).catch(() => undefined);
    } else spawnSync("chmod", ["0500", chatDir]);
  };
  const freeDisk = async () => {
    if (diskMethod === "tmpfs") await rm(filler, { force: true });
    else spawnSync("chmod", ["0700", chatDir]);
  };

  const engineLog: string[] = [];
  const engine = new EngineClient({ workerPath, hangMs, graceMs: 3000, log: (line) => engineLog.push(line) });
  const store = new ConversationStore(chatDir);
  const turns = new ConversationTurns(new ChatTurns(engine), store);
  const conversation: Conversation = { id: "chaos", title: "chaos", createdAt: Date.now(), updatedAt: Date.now(), messages: [] };
  const sent: string[] = [];
  const seenWorkers = new Set<number>();
  let wanted = good;
  engine.setModel(wanted);
  await engine.ensureModel();
  let maxSettleMs = 0;
  let forksPerMinuteMax = 0;
  const prompt = (i: number) => [{ special: "<|fim_prefix|>" }, { text: `// round ${i}\nfunction add(a, b) {\n  return ` }, { special: "<|fim_suffix|>" }, { text: "\n}\n" }, { special: "<|fim_middle|>" }];

  say(`freehold chaos: ${rounds} rounds, seed ${seed}, hang limit ${hangMs} ms, full disk by ${diskMethod}`);
  for (roundNo = 1; roundNo <= rounds; roundNo++) {
    const fault = pick(FAULT_DRAW);
    const workload: Workload = fault === "disk-full" ? "chat" : fault === "switch-other-model" ? pick(["chat", "completion", "load"] as const) : pick(WORKLOADS);
    current = { fault, workload };
    faults[fault]++;
    workloads[workload]++;
    const roundStarted = Date.now();
    const requests: Array<Promise<{ name: string; outcome: string; ms: number }>> = [];
    const track = (name: string, work: Promise<unknown>) => {
      const start = Date.now();
      requests.push(
        work.then(
          () => ({ name, outcome: "ok", ms: Date.now() - start }),
          (error: unknown) => ({ name, outcome: error instanceof EngineError ? `${error.code}: ${error.message}` : `UNCLEAR ${String(error)}`, ms: Date.now() - start }),
        ),
      );
    };

    // Sample the worker processes while the round runs.
    let maxWorkers = 0;
    const sampler = setInterval(() => {
      const editors = workerChildren();
      for (const pid of editors) seenWorkers.add(pid);
      maxWorkers = Math.max(maxWorkers, editors.length);
    }, 200);

    // The workload.
    let target: () => number | undefined = () => engine.workerPid;
    let bench: EngineClient | undefined;
    if (fault === "disk-full") await fillDisk();
    switch (workload) {
      case "load":
        wanted = wanted === good ? other : good;
        engine.setModel(wanted);
        track("load", engine.ensureModel());
        break;
      case "completion":
        track("completion", engine.complete({ prompt: prompt(roundNo), maxTokens: 8, timeLimitMs: 10_000, supersedeKey: "inline" }));
        break;
      case "chat": {
        const text = `Question ${roundNo}: how do I reverse a list?`;
        sent.push(text);
        track(
          "chat",
          turns.send(conversation, { text }, { maxTokens: 24, timeLimitMs: 60_000 }).then((end) => {
            if (end.kind === "failed" && !end.error) throw new Error("a failed turn without a reason");
            return end;
          }),
        );
        // Typing while the answer streams.
        setTimeout(() => track("keystroke", engine.complete({ prompt: prompt(roundNo), maxTokens: 4, timeLimitMs: 10_000, supersedeKey: "inline" })), between(100, 800));
        break;
      }
      case "rewrite":
        track("rewrite", engine.chat({ conversationId: `rewrite-${roundNo}`, history: [], systemPrompt: "Rewrite the code as asked. Answer with code only.", message: "Refactor: function add(a,b){return a+b}", maxTokens: 24, timeLimitMs: 60_000 }));
        break;
      case "warm":
        track("warm", engine.complete({ prompt: prompt(roundNo), maxTokens: 1, evaluateOnly: true, priority: "background" }));
        break;
      case "benchmark": {
        // As the editor does it: a worker of its own, disposed afterwards.
        const b = new EngineClient({ workerPath, hangMs, graceMs: 3000, env: { ...process.env, FREEHOLD_CHAOS_BENCH: "1" } });
        bench = b;
        b.setModel(wanted);
        target = () => b.workerPid;
        track(
          "benchmark",
          (async () => {
            await b.ensureModel();
            return runSelfBenchmark(b, { durationMs: 1500 });
          })(),
        );
        break;
      }
    }

    // The fault, at a random moment.
    await sleep(between(0, 1500));
    switch (fault) {
      case "sigkill": {
        const pid = target();
        if (signal(pid, "SIGKILL") && workload !== "benchmark") {
          // The host learns of the death from the exit event; checking the status before it arrives tests nothing.
          const until = Date.now() + 10_000;
          while (engine.status.workerPid === pid && Date.now() < until) await sleep(50);
        }
        break;
      }
      case "sigstop-short": {
        const pid = target();
        if (signal(pid, "SIGSTOP")) {
          await sleep(between(200, 1500));
          signal(pid, "SIGCONT");
        }
        break;
      }
      case "sigstop-long": {
        const pid = target();
        if (signal(pid, "SIGSTOP")) {
          await sleep(hangMs + 2500);
          signal(pid, "SIGCONT");
        }
        break;
      }
      case "switch-truncated":
      case "switch-not-gguf":
      case "switch-unknown-arch":
      case "switch-missing": {
        const path = { "switch-truncated": broken.truncated, "switch-not-gguf": broken.notGguf, "switch-unknown-arch": broken.unknownArchitecture, "switch-missing": broken.missing }[fault];
        engine.setModel({ ...wanted, path });
        track(
          "bad-switch",
          engine.ensureModel().then(
            () => {
              throw new Error(`${path} loaded`);
            },
            (error: unknown) => {
              if (!(error instanceof EngineError) || !error.message) throw new Error(`unclear error: ${String(error)}`);
              if (error.code === "model-load-failed" && engine.status.state !== "error") throw new Error(`status is ${engine.status.state} after a failed load`);
            },
          ),
        );
        break;
      }
      case "switch-other-model":
        wanted = wanted === good ? other : good;
        engine.setModel(wanted);
        track("switch", engine.ensureModel());
        break;
      case "disk-full":
        break;
    }

    // settle: every request answers or fails clearly within its bound.
    const bound = sleep(boundMs).then(() => "unsettled" as const);
    checks.settle++;
    for (const request of requests) {
      const settled = await Promise.race([request, bound]);
      if (settled === "unsettled") {
        violate("settle", `a request did not settle within ${boundMs} ms`);
        continue;
      }
      maxSettleMs = Math.max(maxSettleMs, settled.ms);
      if (settled.outcome.startsWith("UNCLEAR")) violate("settle", `${settled.name}: ${settled.outcome}`);
    }
    if (bench) await bench.dispose();

    // Back to the wanted model, as the user would (choosing it again; Restart when the breaker is open).
    engine.setModel(wanted);
    let recovered = false;
    let lastError = "";
    for (let attempt = 0; attempt < 40 && !recovered; attempt++) {
      try {
        await engine.ensureModel();
        recovered = true;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (engine.policy.isOpen) await engine.stopWorker();
        else await sleep(500);
      }
    }

    // status: truthful at the end of the round.
    checks.status++;
    const status = engine.status;
    if (!recovered) {
      if (status.state !== "error" || !status.message) violate("status", `not recovered (${lastError}) but the status is ${status.state}: ${status.message ?? ""}`);
    } else {
      const workers = workerChildren();
      if (status.state !== "ready" || status.model?.path !== wanted.path) violate("status", `status ${status.state} with ${status.model?.path ?? "no model"}, wanted ${wanted.path}`);
      else if (!status.workerPid || !workers.includes(status.workerPid)) violate("status", `status names worker ${status.workerPid}, running: ${workers.join(",")}`);
      else {
        const answer = await engine.complete({ prompt: prompt(roundNo), maxTokens: 2 }).catch((error: unknown) => error);
        if (answer instanceof Error) violate("status", `ready, but a completion failed: ${answer.message}`);
      }
    }
    clearInterval(sampler);

    // one-worker, fork-rate, host.
    checks["one-worker"]++;
    if (maxWorkers > 1) violate("one-worker", `${maxWorkers} editor workers at once`);
    checks["fork-rate"]++;
    const forksPerMinute = engine.policy.forksInLastMinute();
    forksPerMinuteMax = Math.max(forksPerMinuteMax, forksPerMinute);
    if (forksPerMinute > engine.policy.maxForksPerMinute) violate("fork-rate", `${forksPerMinute} forks in the last minute (cap ${engine.policy.maxForksPerMinute})`);
    checks.host++;
    const stallMs = loopDelay.max / 1e6;
    if (stallMs > 5000) violate("host", `the event loop stalled for ${Math.round(stallMs)} ms`);
    loopDelay.reset();

    // messages: with the disk free again, the next save holds everything the user sent.
    if (fault === "disk-full") {
      await freeDisk();
      await store.save(conversation).catch((error: unknown) => violate("messages", `saving after the disk was freed failed: ${String(error)}`));
    }
    checks.messages++;
    const saved = await new ConversationStore(chatDir).load(conversation.id).catch(() => undefined);
    const savedUser = new Set(saved?.messages.filter((m) => m.role === "user").map((m) => m.text) ?? []);
    const lost = sent.filter((text) => !savedUser.has(text));
    if (lost.length && fault !== "disk-full") violate("messages", `not on disk: ${lost.join(" | ")}`);
    else if (lost.length) violate("messages", `not on disk after the disk was freed: ${lost.join(" | ")}`);

    const mark = violations.some((v) => v.round === roundNo) ? "✗" : "✓";
    say(`${mark} round ${String(roundNo).padStart(3)}  ${fault.padEnd(20)} during ${workload.padEnd(10)} ${String(Date.now() - roundStarted).padStart(6)} ms  forks/min ${forksPerMinute}`);
  }

  // leftovers: nothing outlives the run.
  current = {};
  roundNo = 0;
  await engine.dispose();
  checks.leftovers++;
  const deadline = Date.now() + 15_000;
  while (workerChildren().length && Date.now() < deadline) await sleep(200);
  if (workerChildren().length) violate("leftovers", `workers still running: ${workerChildren().join(",")}`);
  const survivors = [...seenWorkers].filter(alive);
  if (survivors.length) violate("leftovers", `worker processes outlived the run: ${survivors.join(",")}`);
  if (diskMethod === "tmpfs") spawnSync("umount", [chatDir]);
  else spawnSync("chmod", ["0700", chatDir]);
  await rm(dir, { recursive: true, force: true });
  if (existsSync(dir)) violate("leftovers", `${dir} was not removed`);
  loopDelay.disable();

  const seconds = (Date.now() - runStarted) / 1000;
  say("");
  say(`${"invariant".padEnd(12)} ${"checked".padStart(8)} ${"violated".padStart(9)}`);
  for (const name of INVARIANTS) say(`${name.padEnd(12)} ${String(checks[name]).padStart(8)} ${String(violations.filter((v) => v.invariant === name).length).padStart(9)}`);
  say("");
  say(`faults: ${FAULTS.map((f) => `${f} ${faults[f]}`).join(", ")}`);
  say(`workloads: ${WORKLOADS.map((w) => `${w} ${workloads[w]}`).join(", ")}`);
  say(`forks: ${engine.forks}; most forks in a minute: ${forksPerMinuteMax} (cap ${engine.policy.maxForksPerMinute}); slowest request settled in ${maxSettleMs} ms`);
  say(`${rounds} rounds in ${seconds.toFixed(1)} s (seed ${seed}): ${violations.length} violations`);
  for (const v of violations) say(`  round ${v.round} [${v.invariant}] ${v.fault ?? ""} ${v.workload ?? ""}: ${v.detail}`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ rounds, seed, seconds, faults, workloads, violations, maxSettleMs, forksPerMinuteMax, forks: engine.forks, diskFull: diskMethod })}\n`);
  }
  process.exit(violations.length ? 1 : 0);
}

main().catch((error: unknown) => {
  cleanupSync?.();
  process.stderr.write(`freehold chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
