// `npm run bench`: replays a recorded keystroke trace over a real TypeScript file through the completion
// pipeline and the worker, and through raw node-llama-cpp on the same tokens, side by side in one run.
import { readFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { EngineClient } from "../engine/client";
import type { LoadModelParams } from "../engine/protocol";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type ContextSource, type DocumentPosition } from "../completion/pipeline";
import { RawModel } from "./rawModel";
import { median, percentile, round } from "./stats";

export interface TraceSession {
  line: number;
  indent: string;
  original: string;
  keys: Array<{ text: string; delayMs: number }>;
}

export interface CompletionBenchOptions {
  modelPath: string;
  modelName: string;
  workerPath: string;
  fixtureDir: string;
  context: ContextSource;
  sessions: number;
  /** Generation cap per keystroke request: first-token latency does not depend on it, the run time does. */
  maxTokens: number;
  threads: number;
  contextSize: number;
  log: (line: string) => void;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

export async function runCompletionBench(options: CompletionBenchOptions): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const source = await readFile(join(options.fixtureDir, "StandardController.ts"), "utf8");
  const trace = JSON.parse(await readFile(join(options.fixtureDir, "trace.json"), "utf8")) as { sessions: TraceSession[] };
  const sessions = trace.sessions.slice(0, options.sessions);
  const lines = source.split("\n");

  const model: LoadModelParams = { path: options.modelPath, contextSize: options.contextSize, gpuLayers: 0, threads: options.threads };
  const engine = new EngineClient({ workerPath: options.workerPath });
  engine.setModel(model);
  const loadStarted = performance.now();
  await engine.ensureModel();
  const workerLoadMs = performance.now() - loadStarted;
  const raw = await RawModel.load(options.modelPath, options.contextSize, options.threads);
  const pipeline = new CompletionPipeline(engine, options.context, { ...DEFAULT_COMPLETION_OPTIONS, multiline: "never", maxTokensSingle: options.maxTokens });

  const hostOverhead: number[] = [];
  const engineFirst: number[] = [];
  const rawFirst: number[] = [];
  const ratios: number[] = [];
  const evaluatedAfterKey: number[] = [];
  const extraEvaluated: number[] = [];
  const promptSizes: number[] = [];
  const coldFirst: number[] = [];
  const typingThrough: number[] = [];
  let typingThroughModelCalls = 0;
  let cacheAnswers = 0;

  for (const session of sessions) {
    const before = lines.slice(0, session.line - 1).join("\n") + "\n";
    const after = "\n" + lines.slice(session.line).join("\n");
    let typed = "";
    let previousLinePieceTokens: number | undefined;
    for (const [index, key] of session.keys.entries()) {
      typed += key.text;
      const text = before + session.indent + typed + after;
      const position: DocumentPosition = { key: "bench.ts", relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text, offset: before.length + session.indent.length + typed.length, repoName: "msal-browser" };
      pipeline.cache.clear(); // every keystroke asks the model: this loop measures model latency
      const outcome = await pipeline.complete(position);
      if (outcome.source !== "model" && !outcome.stats) continue;
      const stats = outcome.stats!;
      const t = outcome.timings;
      const ipc = Math.max(0, t.modelMs - stats.totalMs - stats.queueMs);
      hostOverhead.push(t.contextMs + t.promptMs + t.postMs + ipc);
      const rawRun = await raw.firstTokenMs(raw.tokens(pipeline.lastPieces!));
      if (index === 0) {
        coldFirst.push(outcome.firstTokenMs ?? stats.ttftMs);
        continue;
      }
      const first = outcome.firstTokenMs ?? t.totalMs;
      engineFirst.push(first);
      rawFirst.push(rawRun.ms);
      ratios.push(first / rawRun.ms);
      evaluatedAfterKey.push(stats.evaluatedTokens);
      promptSizes.push(stats.promptTokens);
      // "New tokens" of a keystroke: the typed line's tokens after the middle token, as raw tokenisation counts them.
      const linePieceTokens = raw.tokens([{ text: session.indent + typed }]).length;
      if (previousLinePieceTokens !== undefined) extraEvaluated.push(stats.evaluatedTokens - Math.max(1, linePieceTokens - previousLinePieceTokens + 1));
      previousLinePieceTokens = linePieceTokens;
    }

    // Typing through the last suggestion shown in this session: no model call, answered from memory.
    const text = before + session.indent + typed + after;
    const position: DocumentPosition = { key: "bench.ts", relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text, offset: before.length + session.indent.length + typed.length, repoName: "msal-browser" };
    pipeline.cache.clear();
    const shown = await pipeline.complete(position);
    const suggestion = shown.items[0]?.text;
    if (suggestion) {
      const calls = pipeline.modelCalls;
      for (let i = 1; i < Math.min(suggestion.length, 12); i++) {
        const through = { ...position, text: text.slice(0, position.offset) + suggestion.slice(0, i) + text.slice(position.offset), offset: position.offset + i };
        const started = performance.now();
        const answer = await pipeline.complete(through);
        typingThrough.push(performance.now() - started);
        if (answer.source === "cache") cacheAnswers++;
      }
      typingThroughModelCalls += pipeline.modelCalls - calls;
    }
    options.log(`  session at line ${session.line}: ${session.keys.length} keystrokes`);
  }

  const engineSpeed = await generationSpeed(engine, 64);
  const rawSpeed = await raw.generationSpeed(64);
  await raw.dispose();
  const workerStatus = await engine.workerStatus();
  await engine.dispose();

  const figures: Figure[] = [
    target("host overhead per completion p50", median(hostOverhead), "ms", "≤ 5 ms", (v) => v <= 5),
    target("host overhead per completion p95", percentile(hostOverhead, 95), "ms", "≤ 15 ms", (v) => v <= 15),
    target("typing through a shown suggestion p50", median(typingThrough), "ms", "≤ 1 ms", (v) => v <= 1),
    target("model calls while typing through", typingThroughModelCalls, "calls", "0", (v) => v === 0),
    { name: "typing-through keystrokes answered from memory", value: cacheAnswers, unit: "of " + typingThrough.length },
    { name: "prompt size per keystroke p50", value: median(promptSizes), unit: "tokens" },
    { name: "prompt tokens evaluated after one typed character p50", value: median(evaluatedAfterKey), unit: "tokens" },
    { name: "prompt tokens evaluated after one typed character p95", value: percentile(evaluatedAfterKey, 95), unit: "tokens" },
    target("evaluated beyond the new tokens p95", percentile(extraEvaluated, 95), "tokens", "≤ 16", (v) => v <= 16),
    { name: "cold first prompt, first token p50", value: median(coldFirst), unit: "ms" },
    { name: "keystroke → first token p50", value: median(engineFirst), unit: "ms" },
    { name: "keystroke → first token p95", value: percentile(engineFirst, 95), unit: "ms" },
    { name: "raw node-llama-cpp first token p50 (same tokens)", value: median(rawFirst), unit: "ms" },
    target("ratio engine / raw first token p50", median(ratios), "×", "≤ 1.1×", (v) => v <= 1.1),
    { name: "generation speed through the worker", value: engineSpeed, unit: "tokens/s" },
    { name: "generation speed, raw node-llama-cpp", value: rawSpeed, unit: "tokens/s" },
    { name: "worker model load (cold start)", value: workerLoadMs, unit: "ms" },
    { name: "worker RSS", value: workerStatus.rssBytes / 1048576, unit: "MB" },
  ].map((f) => ({ ...f, value: round(f.value) }));
  return { figures, details: { keystrokes: engineFirst.length, sessions: sessions.length } };
}

function target(name: string, value: number, unit: string, goal: string, ok: (v: number) => boolean): Figure {
  return { name, value, unit, target: goal, met: Number.isFinite(value) ? ok(value) : false };
}

async function generationSpeed(engine: EngineClient, count: number): Promise<number> {
  const result = await engine.complete({ infill: { prefix: "function main() {\n", suffix: "\n}\n" }, maxTokens: count, stop: [] });
  const seconds = (result.stats.totalMs - result.stats.ttftMs) / 1000;
  return (result.stats.generatedTokens - 1) / seconds;
}

export function machineDescription(): Record<string, unknown> {
  const cpu = cpus()[0];
  return { cpu: cpu?.model ?? "unknown", cores: availableParallelism(), memoryGiB: round(totalmem() / 1073741824, 1), node: process.version, platform: `${process.platform}-${process.arch}` };
}
