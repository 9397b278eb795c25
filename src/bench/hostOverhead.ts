// Host overhead per completion at real-world scale (DESIGN §9): the same keystroke trace replayed through the
// real pipeline and worker on the 3,000-line bench file, on a 1 MB file and in a 5,000-file workspace (both
// generated in a temporary folder, removed afterwards). The document is fed as the editor feeds it: each
// keystroke's content change (with its start point, as VS Code's change event has it) goes to the context
// builder with a document version, and the position carries it; keys come at the trace's recorded pace (a key
// waits for its recorded delay after the previous one, or not at all when the previous completion took
// longer), as the editor would ask.
//
// Host overhead = the completion's wall time minus the worker's own time (queue + evaluation + generation):
// typing-through cache lookup, context, prompt, the IPC round trip and post-processing. Each part is reported,
// and beside the wall times the host process's CPU time per completion, which the machine's other load does
// not inflate: on 2 shared cores a wall-clock p95 includes time the host was runnable but not running. The
// three places take turns session by session, so the machine's load (which changes by the minute on a shared
// machine) weighs on each alike and their figures can be compared with one another.
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type DocumentPosition } from "../completion/pipeline";
import { diffEdit, pointAt } from "../context/documentTrees";
import { createContextSource } from "../cli/contextSource";
import type { EngineClient } from "../engine/client";
import type { Figure, TraceSession } from "./completionBench";
import { writeScaleWorkspace } from "./scaleWorkspace";
import { median, percentile, round } from "./stats";

export interface HostOverheadOptions {
  engine: EngineClient;
  fixtureDir: string;
  /** The repository root: the 3,000-line file is measured where it lies. */
  root: string;
  sessions: number;
  keysPerSession: number;
  maxTokens: number;
  workspaceFiles: number;
  log: (line: string) => void;
}

interface Scenario {
  name: string;
  root: string;
  path: string;
  text: string;
  /** Added to the trace's line numbers (the 1 MB file holds the bench file in its middle). */
  lineOffset: number;
}

interface Samples {
  total: number[];
  /** The context's own parts (ContextBuilder's timings). */
  windows: number[];
  parse: number[];
  scope: number[];
  imports: number[];
  cpu: number[];
  cache: number[];
  context: number[];
  prompt: number[];
  ipc: number[];
  post: number[];
}

export async function runHostOverheadBench(options: HostOverheadOptions): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const source = await readFile(join(options.fixtureDir, "StandardController.ts"), "utf8");
  const trace = JSON.parse(await readFile(join(options.fixtureDir, "trace.json"), "utf8")) as { sessions: TraceSession[] };
  const sessions = trace.sessions.slice(0, options.sessions);
  const folder = await mkdtemp(join(tmpdir(), "freehold-bench-"));
  // An interrupted bench leaves no generated workspace behind.
  const removeOnSignal = (signal: NodeJS.Signals) => {
    rmSync(folder, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", removeOnSignal);
  process.once("SIGTERM", removeOnSignal);
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  try {
    const generated = performance.now();
    const workspace = await writeScaleWorkspace(folder, source, options.workspaceFiles);
    options.log(`  host overhead: generated a ${workspace.files}-file workspace with a ${(workspace.largeText.length / 1e6).toFixed(2)} MB file in ${Math.round(performance.now() - generated)} ms`);
    const scenarios: Scenario[] = [
      { name: "3,000-line file", root: options.root, path: "src/controllers/StandardController.ts", text: source, lineOffset: 0 },
      { name: "1 MB file", root: folder, path: workspace.largePath, text: workspace.largeText, lineOffset: workspace.largeOffsetLines },
      { name: `${workspace.files.toLocaleString("en")}-file workspace`, root: folder, path: workspace.benchPath, text: source, lineOffset: 0 },
    ];
    // Each place is opened and gets its first completion (the first session's first key) on its own, so its
    // memory growth over the opening is its own; then the sessions take turns.
    const states: ScenarioState[] = [];
    for (const scenario of scenarios) {
      const state = await openScenario(scenario, options);
      states.push(state);
      await replaySession(state, sessions[0], options, 1);
    }
    const typingStarted = process.memoryUsage();
    for (const session of sessions) {
      for (const state of states) {
        const started = performance.now();
        await replaySession(state, session, options);
        state.seconds += (performance.now() - started) / 1000;
        options.log(`    ${state.scenario.name}, session at line ${session.line + state.scenario.lineOffset}: ${Math.round(performance.now() - started)} ms (load average ${loadavg()[0].toFixed(1)})`);
      }
    }
    const typingEnded = process.memoryUsage();
    for (const state of states) {
      const result = summarize(state);
      options.log(`  host overhead, ${state.scenario.name}: ${Math.round(state.seconds)} s, ${state.samples.total.length} keystrokes measured`);
      figures.push(...result.figures);
      details[state.scenario.name] = result.details;
    }
    figures.push(
      { name: "host memory growth while typing, all three places (RSS / JS heap)", value: round((typingEnded.rss - typingStarted.rss) / 1048576, 1), unit: `MB / ${round((typingEnded.heapUsed - typingStarted.heapUsed) / 1048576, 1)} MB` },
      { name: "host memory at the end (RSS / JS heap)", value: round(typingEnded.rss / 1048576, 1), unit: `MB / ${round(typingEnded.heapUsed / 1048576, 1)} MB` },
    );
  } finally {
    process.off("SIGINT", removeOnSignal);
    process.off("SIGTERM", removeOnSignal);
    await rm(folder, { recursive: true, force: true });
  }
  return { figures, details: { hostOverhead: details } };
}

interface ScenarioState {
  scenario: Scenario;
  context: Awaited<ReturnType<typeof createContextSource>>;
  pipeline: CompletionPipeline;
  lines: string[];
  samples: Samples;
  memoryBefore: NodeJS.MemoryUsage;
  first?: { total: number; cpu: number; context: number };
  /** The host's memory growth from before opening the document to after its first completion. */
  opened?: { rss: number; heapUsed: number };
  /** The document as the context builder last saw it, and its version. */
  current: string;
  version: number;
  seconds: number;
}

async function openScenario(scenario: Scenario, options: HostOverheadOptions): Promise<ScenarioState> {
  const memoryBefore = process.memoryUsage();
  const context = await createContextSource(scenario.root);
  const pipeline = new CompletionPipeline(options.engine, context, { ...DEFAULT_COMPLETION_OPTIONS, multiline: "auto", maxTokensSingle: options.maxTokens, maxTokensMulti: options.maxTokens, timeLimitMs: 600_000 });
  const samples: Samples = { total: [], windows: [], parse: [], scope: [], imports: [], cpu: [], cache: [], context: [], prompt: [], ipc: [], post: [] };
  return { scenario, context, pipeline, lines: scenario.text.split("\n"), samples, memoryBefore, current: scenario.text, version: 1, seconds: 0 };
}

/** One trace session typed into the scenario's document: its keys timed one by one (the first of the scenario is the first completion after opening). */
async function replaySession(state: ScenarioState, session: TraceSession, options: HostOverheadOptions, keys = options.keysPerSession): Promise<void> {
  const { scenario, context, pipeline, lines, samples } = state;
  const line = session.line + scenario.lineOffset;
  const before = lines.slice(0, line - 1).join("\n") + "\n";
  const after = "\n" + lines.slice(line).join("\n");
  let typed = "";
  let previousKeyAt: number | undefined;
  for (const key of session.keys.slice(0, keys)) {
    if (previousKeyAt !== undefined) await sleep(key.delayMs - (performance.now() - previousKeyAt));
    previousKeyAt = performance.now();
    typed += key.text;
    const text = before + session.indent + typed + after;
    const offset = before.length + session.indent.length + typed.length;
    // The editor reports the changes (outside the completion's time, as VS Code does before asking): at a
    // session's start the previous session's typing is undone, then the first key is typed elsewhere.
    if (state.first) {
      const steps = typed === key.text && state.current !== scenario.text ? [state.current, scenario.text, text] : [state.current, text];
      const edits = steps.slice(1).map((after, i) => {
        const edit = diffEdit(steps[i], after);
        edit.start = pointAt(steps[i], edit.startOffset); // VS Code's change event carries the start's line and column
        return edit;
      });
      context.builder.edit(keyOf(scenario), edits, ++state.version);
    }
    state.current = text;
    const position: DocumentPosition = { key: keyOf(scenario), relativePath: scenario.path, languageId: "typescript", text, offset, repoName: "bench", version: state.version };
    pipeline.cache.clear(); // every keystroke asks the model: a cache answer has no overhead to measure
    const cpuStart = process.cpuUsage();
    const cacheStarted = performance.now();
    pipeline.fromCache(position);
    const cacheMs = performance.now() - cacheStarted;
    const outcome = await pipeline.complete(position);
    const cpu = process.cpuUsage(cpuStart);
    if (!outcome.stats) continue;
    const t = outcome.timings;
    const workerMs = outcome.stats.queueMs + outcome.stats.totalMs;
    const total = cacheMs + t.totalMs - workerMs;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (!state.first) {
      state.first = { total, cpu: cpuMs, context: t.contextMs };
      const memory = process.memoryUsage();
      state.opened = { rss: memory.rss - state.memoryBefore.rss, heapUsed: memory.heapUsed - state.memoryBefore.heapUsed };
      continue;
    }
    samples.total.push(total);
    samples.cpu.push(cpuMs);
    samples.cache.push(cacheMs * 2); // the provider looks the cache up once more inside complete()
    samples.context.push(t.contextMs);
    samples.prompt.push(t.promptMs);
    samples.ipc.push(Math.max(0, t.modelMs - workerMs));
    samples.post.push(t.postMs);
    const parts = context.builder.lastTimings;
    if (parts) {
      samples.windows.push(parts.windowsMs);
      samples.parse.push(parts.parseMs);
      samples.scope.push(parts.scopeMs);
      samples.imports.push(parts.importsMs);
    }
  }
}

function summarize(state: ScenarioState): { figures: Figure[]; details: Record<string, unknown> } {
  const { samples, first } = state;
  const name = state.scenario.name;
  const p = (values: number[], q: number) => round(percentile(values, q));
  const opened = state.opened;
  const figures: Figure[] = [
    target(`host overhead p50, ${name}`, median(samples.total), "≤ 5 ms", 5),
    target(`host overhead p95, ${name}`, percentile(samples.total, 95), "≤ 15 ms", 15),
    { name: `  host CPU time per completion p50 / p95, ${name}`, value: round(median(samples.cpu)), unit: `ms / ${p(samples.cpu, 95)} ms` },
    { name: `  split p50: cache / context / prompt / IPC / post, ${name}`, value: round(median(samples.cache)), unit: `/ ${p(samples.context, 50)} / ${p(samples.prompt, 50)} / ${p(samples.ipc, 50)} / ${p(samples.post, 50)} ms` },
    { name: `  split p95: cache / context / prompt / IPC / post, ${name}`, value: p(samples.cache, 95), unit: `/ ${p(samples.context, 95)} / ${p(samples.prompt, 95)} / ${p(samples.ipc, 95)} / ${p(samples.post, 95)} ms` },
    { name: `  context p50 / p95: windows / parse / scope / imports, ${name}`, value: p(samples.windows, 50), unit: `/ ${p(samples.parse, 50)} / ${p(samples.scope, 50)} / ${p(samples.imports, 50)} ms; ${p(samples.windows, 95)} / ${p(samples.parse, 95)} / ${p(samples.scope, 95)} / ${p(samples.imports, 95)} ms` },
    { name: `  first completion after opening (host part / context), ${name}`, value: round(first?.total ?? NaN), unit: `ms / ${round(first?.context ?? NaN)} ms` },
    { name: `  host memory growth over opening and the first completion (RSS / JS heap), ${name}`, value: round(opened ? opened.rss / 1048576 : NaN, 1), unit: `MB / ${round(opened ? opened.heapUsed / 1048576 : NaN, 1)} MB` },
  ];
  return { figures, details: { samples: samples.total.length, first, samplesMs: Object.fromEntries(Object.entries(samples).map(([k, v]: [string, number[]]) => [k, v.map((x) => round(x))])) } };
}

/** The document's key: its uri, as the editor gives it. */
function keyOf(scenario: Scenario): string {
  return `file://${join(scenario.root, scenario.path)}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function target(name: string, value: number, goal: string, limit: number): Figure {
  return { name, value: round(value), unit: "ms", target: goal, met: Number.isFinite(value) && value <= limit };
}
