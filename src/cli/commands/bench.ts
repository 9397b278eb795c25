import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeModelFile, type ModelShape } from "../../gguf/index";
import { machineDescription, runCompletionBench, type Figure } from "../../bench/completionBench";
import { runChatBench } from "../../bench/chatBench";
import { runHostOverheadBench } from "../../bench/hostOverhead";
import { runColdStartBench } from "../../bench/coldStartBench";
import { EngineClient } from "../../engine/client";
import { runRolesBench } from "../../bench/rolesBench";
import { createContextSource } from "../contextSource";
import { UsageError } from "../usage";
import { parseLlamaBuildChoice } from "../../engine/worker/llamaBuild";
import { remoteTable, runRemoteBench } from "../../bench/remoteBench";
import { llamaServerBinary } from "../../bench/llamaServerProcess";

const SHAPES: Record<string, ModelShape> = { "0.5b": "qwen2.5-coder-0.5b", "1.5b": "qwen2.5-coder-1.5b" };

export interface BenchFlags {
  json?: boolean;
  shape?: string;
  sessions?: string;
  keys?: string;
  threads?: string;
  "llama-build"?: string;
  compare?: string;
  out?: string;
  /** Sections to run, comma-separated (host, completion, chat, cold-start, roles); all by default. */
  only?: string;
  /** "remote": the keystroke trace against llama-server from several editors (remoteBench.ts) instead. */
  engine?: string;
  /** With --engine remote: editor counts, comma-separated (default 1,4,8). */
  editors?: string;
}

/** What one bench section gets for one model; sections run in order and each adds its figures. */
export interface BenchSectionInput {
  shape: ModelShape;
  modelPath: string;
  workerPath: string;
  root: string;
  threads: number;
  contextSize: number;
  flags: BenchFlags;
  log: (line: string) => void;
}

export type BenchSection = (input: BenchSectionInput) => Promise<{ figures: Figure[]; details: Record<string, unknown> }>;

const completionSection: BenchSection = async (input) => {
  const small = input.shape === "qwen2.5-coder-0.5b";
  const llamaBuild = parseLlamaBuildChoice(input.flags["llama-build"]) ?? "prebuilt";
  const compare = input.flags.compare === "native" || input.flags.compare === "prebuilt" ? input.flags.compare : undefined;
  return runCompletionBench({
    modelPath: input.modelPath,
    modelName: input.shape,
    workerPath: input.workerPath,
    fixtureDir: resolve(input.root, "test/fixtures/bench"),
    context: await createContextSource(input.root),
    sessions: input.flags.sessions ? Number(input.flags.sessions) : small ? 3 : 2,
    keysPerSession: input.flags.keys ? Number(input.flags.keys) : small ? 12 : 8,
    speedRounds: small ? 5 : 3,
    llamaBuild,
    compareBuild: compare,
    maxTokens: 8,
    typingThroughCap: 40,
    threads: input.threads,
    contextSize: input.contextSize,
    log: input.log,
  });
};

/** Chat time to first token, first turn vs follow-up (DESIGN §9), on the 0.5B shape only. */
const chatSection: BenchSection = async (input) => {
  if (input.shape !== "qwen2.5-coder-0.5b") return { figures: [], details: {} };
  const chat = await runChatBench({ modelPath: input.modelPath, workerPath: input.workerPath, fixtureDir: resolve(input.root, "test/fixtures/bench"), threads: input.threads, contextSize: input.contextSize, rounds: 3, log: input.log });
  return { figures: chat.figures, details: { chat: chat.details } };
};

/**
 * Host overhead per completion on the 3,000-line file, a 1 MB file and in a 5,000-file workspace (DESIGN §9),
 * on the 0.5B shape only: the host's part does not depend on the model's size.
 */
const hostOverheadSection: BenchSection = async (input) => {
  if (input.shape !== "qwen2.5-coder-0.5b") return { figures: [], details: {} };
  const engine = new EngineClient({ workerPath: input.workerPath });
  engine.setModel({ path: input.modelPath, contextSize: input.contextSize, gpuLayers: 0, threads: input.threads, llamaBuild: parseLlamaBuildChoice(input.flags["llama-build"]) ?? "prebuilt" });
  try {
    await engine.ensureModel();
    return await runHostOverheadBench({
      engine,
      fixtureDir: resolve(input.root, "test/fixtures/bench"),
      root: input.root,
      // About 90 keystrokes measured per place: a p95 of a few dozen is one or two keystrokes' luck.
      sessions: input.flags.sessions ? Number(input.flags.sessions) : 4,
      keysPerSession: input.flags.keys ? Number(input.flags.keys) : 24,
      maxTokens: 8,
      workspaceFiles: 5000,
      log: input.log,
    });
  } finally {
    await engine.dispose();
  }
};

/** The first ghost text in a freshly opened file, with the editor's cold start and with the full prompt (DESIGN §9). */
const coldStartSection: BenchSection = async (input) =>
  runColdStartBench({
    modelPath: input.modelPath,
    workerPath: input.workerPath,
    fixtureDir: resolve(input.root, "test/fixtures/bench"),
    context: await createContextSource(input.root),
    threads: input.threads,
    contextSize: input.contextSize,
    targetMs: input.shape === "qwen2.5-coder-0.5b" ? 1500 : 3000,
    rounds: 3,
    log: input.log,
  });

/** Two 0.5B-shape models by role (a second file, seed 2, for chat): worker memory and chat TTFT while completions run. */
const rolesSection: BenchSection = async (input) => {
  if (input.shape !== "qwen2.5-coder-0.5b") return { figures: [], details: {} };
  const chatModel = join(resolve(input.root, ".freehold-test/models"), `${input.shape}-seed2-q8_0.gguf`);
  if (!existsSync(chatModel)) {
    input.log(`generating a second ${input.shape} (seed 2) for the chat role…`);
    await writeModelFile(chatModel, input.shape, { seed: 2 });
  }
  return runRolesBench({ completionModel: input.modelPath, chatModel, workerPath: input.workerPath, threads: input.threads, contextSize: input.contextSize, rounds: 3, log: input.log });
};

/** The bench's sections, in order, and their names for --only. */
export const BENCH_SECTIONS: BenchSection[] = [hostOverheadSection, completionSection, chatSection, coldStartSection, rolesSection];
const SECTION_NAMES = ["host", "completion", "chat", "cold-start", "roles"];

export async function bench(flags: BenchFlags): Promise<void> {
  if (flags.engine === "remote") return benchRemote(flags);
  if (flags.engine !== undefined && flags.engine !== "local") throw new UsageError("--engine takes local or remote.");
  const wanted = (flags.shape ?? "0.5b,1.5b").split(",").map((s) => s.trim());
  for (const name of wanted) if (!SHAPES[name]) throw new UsageError(`--shape takes ${Object.keys(SHAPES).join(", ")} (comma-separated).`);
  const only = flags.only ? flags.only.split(",").map((s) => s.trim()) : SECTION_NAMES;
  for (const name of only) if (!SECTION_NAMES.includes(name)) throw new UsageError(`--only takes ${SECTION_NAMES.join(", ")} (comma-separated).`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const root = process.cwd();
  const fixtureDir = resolve(root, "test/fixtures/bench");
  if (!existsSync(join(fixtureDir, "trace.json"))) throw new Error(`Run the benchmark from the repository folder (no ${fixtureDir}/trace.json).`);
  const modelDir = resolve(root, ".freehold-test/models");
  await mkdir(modelDir, { recursive: true });
  const threads = flags.threads ? Number(flags.threads) : Math.min(availableParallelism(), 8);
  const results: Array<{ model: string; figures: Figure[]; details: Record<string, unknown>; seconds: number }> = [];
  const workerPath = fileURLToPath(new URL("./worker.mjs", import.meta.url));

  for (const name of wanted) {
    const shape = SHAPES[name];
    const modelPath = join(modelDir, `${shape}-q8_0.gguf`);
    if (!existsSync(modelPath)) {
      log(`generating ${shape} (random weights, Q8_0)…`);
      await writeModelFile(modelPath, shape, { seed: 1 });
    }
    log(`${shape}: ${(statSync(modelPath).size / 1048576).toFixed(0)} MB, ${threads} threads, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const started = performance.now();
    const figures: Figure[] = [];
    const details: Record<string, unknown> = {};
    for (const [index, section] of BENCH_SECTIONS.entries()) {
      if (!only.includes(SECTION_NAMES[index])) continue;
      const part = await section({ shape, modelPath, workerPath, root, threads, contextSize: 4096, flags, log });
      figures.push(...part.figures);
      Object.assign(details, part.details);
    }
    const seconds = Math.round((performance.now() - started) / 1000);
    results.push({ model: `${shape} Q8_0 (random weights)`, figures, details, seconds });
    if (!flags.json) printFigures(`${shape} Q8_0 (${String(details.llamaBuild ?? "")} llama.cpp, ${threads} threads, ${seconds} s, load average ${JSON.stringify(details.loadAverage ?? "")})`, figures);
  }

  const report = { date: new Date().toISOString(), machine: { ...machineDescription(), loadAverage: loadavg() }, nodeLlamaCpp: "3.21.1", results };
  const out = resolve(flags.out ?? join(root, "bench-results", `bench-${report.date.replace(/[:.]/g, "-")}.json`));
  await mkdir(resolve(out, ".."), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else log(`wrote ${out}`);
}

function printFigures(title: string, figures: Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  process.stdout.write(`\n${title}\n`);
  for (const f of figures) {
    const verdict = f.target ? `  target ${f.target}  ${f.met ? "met" : "MISSED"}` : "";

    process.stdout.write(`  ${f.name.padEnd(width)}  ${String(f.value).padStart(9)} ${f.unit}${verdict}\n`);
  }
}

/** `bench --engine remote`: the 0.5B shape on llama-server from 1, 4 and 8 editors, with the /infill anchor. */
async function benchRemote(flags: BenchFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const root = process.cwd();
  const fixtureDir = resolve(root, "test/fixtures/bench");
  if (!existsSync(join(fixtureDir, "trace.json"))) throw new Error(`Run the benchmark from the repository folder (no ${fixtureDir}/trace.json).`);
  const shapeName = flags.shape ?? "0.5b";
  const shape = SHAPES[shapeName];
  if (!shape) throw new UsageError(`--shape takes ${Object.keys(SHAPES).join(", ")} (one, with --engine remote).`);
  const editorCounts = (flags.editors ?? "1,4,8").split(",").map((s) => Number(s.trim()));
  if (editorCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 32)) throw new UsageError("--editors takes editor counts between 1 and 32, comma-separated.");
  const modelPath = join(resolve(root, ".freehold-test/models"), `${shape}-q8_0.gguf`);
  if (!existsSync(modelPath)) {
    log(`generating ${shape} (random weights, Q8_0)…`);
    await mkdir(resolve(modelPath, ".."), { recursive: true });
    await writeModelFile(modelPath, shape, { seed: 1 });
  }
  const threads = flags.threads ? Number(flags.threads) : Math.min(availableParallelism(), 8);
  log("llama-server: scripts/build-llama-server.mjs (builds it once per machine) …");
  const binary = llamaServerBinary(root);
  log(`${shape} on ${binary}, ${threads} threads, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const started = performance.now();
  const result = await runRemoteBench({
    binary,
    modelPath,
    fixtureDir,
    context: await createContextSource(root),
    editorCounts,
    keysPerEditor: flags.keys ? Number(flags.keys) : 9,
    threads,
    contextPerSlot: 4096,
    maxTokens: 8,
    log,
  });
  const seconds = Math.round((performance.now() - started) / 1000);
  const report = { date: new Date().toISOString(), machine: { ...machineDescription(), loadAverage: loadavg() }, engine: "remote (llama-server)", binary, results: [{ model: `${shape} Q8_0 (random weights)`, figures: result.figures, details: { ...result.details, rows: result.rows }, seconds }] };
  const out = resolve(flags.out ?? join(root, "bench-results", `bench-remote-${report.date.replace(/[:.]/g, "-")}.json`));
  await mkdir(resolve(out, ".."), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  process.stdout.write(`\n${shape} Q8_0 on llama-server (${threads} threads, --parallel = editors, ${seconds} s, keystroke → first token in the host; evaluated = the server's timings.prompt_n)\n`);
  process.stdout.write(`${remoteTable(result.rows)}\n`);
  printFigures("figures", result.figures);
  log(`wrote ${out}`);
}
