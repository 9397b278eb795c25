// `npm run bench`: replays a recorded keystroke trace over a real TypeScript file through the completion
// pipeline and the worker, and through raw node-llama-cpp on the same tokens, side by side in one run.
// (The host's overhead is measured in hostOverhead.ts, without the raw model's threads in this process.)
import { readFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { EngineClient } from "../engine/client";
import type { LlamaBuildChoice, LoadModelParams, ModelInfo } from "../engine/protocol";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type ContextSource, type DocumentPosition } from "../completion/pipeline";
import { RawModel } from "./rawModel";
import { LLAMA_BUILD_ENV } from "../engine/worker/llamaBuild";
import { median, percentile, round } from "./stats";
import { WORKER_SEQUENCES } from "../engine/kvChoice";

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
  /** Keystrokes replayed per session (the first is the cold prompt); caps the run time. */
  keysPerSession: number;
  /** Rounds of the generation-speed measurement, worker and raw alternating. */
  speedRounds: number;
  /** Which llama.cpp binary the worker and the raw baseline load (DESIGN §9: prebuilt vs native build). */
  llamaBuild: LlamaBuildChoice;
  /** Also measure generation speed through a second worker on this other binary, alternating with the first. */
  compareBuild?: "prebuilt" | "native";
  /** Generation cap per keystroke request: first-token latency does not depend on it, the run time does. */
  maxTokens: number;
  /** Typing-through keystrokes to measure at most. */
  typingThroughCap: number;
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

  const model: LoadModelParams = { path: options.modelPath, contextSize: options.contextSize, gpuLayers: 0, threads: options.threads, llamaBuild: options.llamaBuild };
  const engine = new EngineClient({ workerPath: options.workerPath, env: withoutBuildOverride() });
  engine.setModel(model);
  const loadStarted = performance.now();
  const info = await engine.ensureModel();
  const workerLoadMs = performance.now() - loadStarted;
  const workerBuild = info.llamaBuild ?? "prebuilt";
  // The baseline loads the same llama.cpp binary as the worker, so the ratio is about our overhead only.
  const raw = await RawModel.load(options.modelPath, options.contextSize, options.threads, workerBuild);
  options.log(`  worker: ${workerBuild} llama.cpp binary, ${info.threads} threads, loaded in ${Math.round(workerLoadMs)} ms`);
  const pipeline = new CompletionPipeline(engine, options.context, {
    ...DEFAULT_COMPLETION_OPTIONS,
    multiline: "never",
    maxTokensSingle: options.maxTokens,
    // No time limit: a cold prompt cut off at the editor's 10 s limit leaves its rest to the following keystrokes,
    // while the raw baseline evaluates everything, and the warm ratio would compare different work.
    timeLimitMs: 600_000,
  });

  const engineFirst: number[] = [];
  const rawFirst: number[] = [];
  const ratios: number[] = [];
  const evaluatedAfterKey: number[] = [];
  const extraEvaluated: number[] = [];
  const promptSizes: number[] = [];
  const coldFirst: number[] = [];
  const typingThrough: number[] = [];
  const outcomes: Record<string, number> = {};
  let typingThroughModelCalls = 0;
  let cacheAnswers = 0;
  const loadBefore = loadavg()[0];

  for (const session of sessions) {
    const before = lines.slice(0, session.line - 1).join("\n") + "\n";
    const after = "\n" + lines.slice(session.line).join("\n");
    let typed = "";
    let previousLinePieceTokens: number | undefined;
    for (const [index, key] of session.keys.slice(0, options.keysPerSession).entries()) {
      typed += key.text;
      const text = before + session.indent + typed + after;
      const position: DocumentPosition = { key: "bench.ts", relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text, offset: before.length + session.indent.length + typed.length, repoName: "msal-browser" };
      pipeline.cache.clear(); // every keystroke asks the model: this loop measures model latency
      const outcome = await pipeline.complete(position);
      const label = outcome.items.length ? "suggestion shown" : (outcome.reason ?? outcome.source);
      outcomes[label] = (outcomes[label] ?? 0) + 1;
      if (outcome.source !== "model" && !outcome.stats) continue;
      const stats = outcome.stats!;
      const t = outcome.timings;
      const rawRun = await raw.firstTokenMs(raw.tokens(pipeline.lastPieces!));
      if (index === 0) {
        coldFirst.push(outcome.firstTokenMs ?? stats.ttftMs);
      } else {
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

      // Typing through the suggestion just shown: the user types its first characters; each must be answered
      // from memory without a model call. Measured wherever a suggestion was shown, then the replay goes on.
      const suggestion = outcome.items[0];
      if (suggestion && suggestion.replaceChars === 0 && typingThrough.length < options.typingThroughCap) {
        const calls = pipeline.modelCalls;
        for (let i = 1; i < Math.min(suggestion.text.length, 9); i++) {
          const through = { ...position, text: text.slice(0, position.offset) + suggestion.text.slice(0, i) + text.slice(position.offset), offset: position.offset + i };
          const started = performance.now();
          const answer = await pipeline.complete(through);
          typingThrough.push(performance.now() - started);
          if (answer.source === "cache") cacheAnswers++;
        }
        typingThroughModelCalls += pipeline.modelCalls - calls;
      }
    }
    options.log(`  session at line ${session.line}: ${Math.min(session.keys.length, options.keysPerSession)} keystrokes (load average ${loadavg()[0].toFixed(1)})`);
  }

  // Generation speed, side by side: worker, raw (and the other binary's worker), alternating round by round.
  let other: EngineClient | undefined;
  let otherInfo: ModelInfo | undefined;
  if (options.compareBuild && options.compareBuild !== workerBuild) {
    other = new EngineClient({ workerPath: options.workerPath, env: withoutBuildOverride() });
    other.setModel({ ...model, llamaBuild: options.compareBuild });
    otherInfo = await other.ensureModel().catch((error: unknown) => {
      options.log(`  no ${options.compareBuild} worker for the comparison: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
  }
  const engineSpeeds: number[] = [];
  const rawSpeeds: number[] = [];
  const otherSpeeds: number[] = [];
  for (let round = 0; round < options.speedRounds; round++) {
    engineSpeeds.push(await generationSpeed(engine, 48));
    rawSpeeds.push(await raw.generationSpeed(48));
    if (other && otherInfo) otherSpeeds.push(await generationSpeed(other, 48));
  }
  await other?.dispose();
  await raw.dispose();
  const workerStatus = await engine.workerStatus();
  await engine.dispose();
  const loadAfter = loadavg()[0];

  const figures: Figure[] = [
    target("typing through a shown suggestion p50", median(typingThrough), "ms", "≤ 1 ms", (v) => v <= 1),
    { name: "typing through a shown suggestion p95", value: percentile(typingThrough, 95), unit: "ms" },
    target("model calls while typing through", typingThroughModelCalls, `calls in ${typingThrough.length} keystrokes`, "0", (v) => v === 0 && typingThrough.length > 0),
    { name: "typing-through keystrokes answered from memory", value: cacheAnswers, unit: "of " + typingThrough.length },
    { name: "prompt size per keystroke p50", value: median(promptSizes), unit: "tokens" },
    { name: "prompt tokens evaluated after one typed character p50", value: median(evaluatedAfterKey), unit: "tokens" },
    { name: "prompt tokens evaluated after one typed character p95", value: percentile(evaluatedAfterKey, 95), unit: "tokens" },
    target("evaluated beyond the new tokens p95", percentile(extraEvaluated, 95), "tokens", "≤ 16 (new tokens + 16)", (v) => v <= 16),
    { name: "cold first prompt, first token p50", value: median(coldFirst), unit: "ms" },
    { name: "keystroke → first token p50", value: median(engineFirst), unit: "ms" },
    { name: "keystroke → first token p95", value: percentile(engineFirst, 95), unit: "ms" },
    { name: "raw node-llama-cpp first token p50 (same tokens)", value: median(rawFirst), unit: "ms" },
    target("ratio engine / raw first token p50", median(ratios), "×", "≤ 1.1×", (v) => v <= 1.1),
    { name: "ratio engine / raw first token p95", value: percentile(ratios, 95), unit: "×" },
    { name: `generation speed through the worker (${workerBuild})`, value: median(engineSpeeds), unit: "tokens/s" },
    { name: `generation speed, raw node-llama-cpp (${workerBuild})`, value: median(rawSpeeds), unit: "tokens/s" },
    { name: "ratio worker / raw generation speed p50", value: median(engineSpeeds.map((v, i) => v / rawSpeeds[i])), unit: "×" },
    ...(otherSpeeds.length
      ? [
          { name: `generation speed through a worker (${options.compareBuild})`, value: median(otherSpeeds), unit: "tokens/s" },
          { name: `ratio ${workerBuild} / ${options.compareBuild} worker generation p50`, value: median(engineSpeeds.map((v, i) => v / otherSpeeds[i])), unit: "×" },
        ]
      : []),
    { name: "worker model load (cold start)", value: workerLoadMs, unit: "ms" },
    target("worker RSS", workerStatus.rssBytes / 1048576, "MB", `≤ model + KV + 200 MB (${Math.round(info.sizeBytes / 1048576) + 200} MB + KV)`, (v) => v <= info.sizeBytes / 1048576 + 200 + kvCacheMiB(options.contextSize)),
  ].map((f) => ({ ...f, value: round(f.value) }));
  return {
    figures,
    details: {
      keystrokes: engineFirst.length,
      coldPrompts: coldFirst.length,
      typingThroughSamples: typingThrough.length,
      sessions: sessions.length,
      keysPerSession: options.keysPerSession,
      outcomes,
      llamaBuild: workerBuild,
      systemInfo: info.systemInfo,
      compareBuild: otherInfo ? { build: otherInfo.llamaBuild, systemInfo: otherInfo.systemInfo } : undefined,
      threads: info.threads,
      contextSize: options.contextSize,
      speedRounds: { worker: engineSpeeds.map((v) => round(v)), raw: rawSpeeds.map((v) => round(v)), other: otherSpeeds.map((v) => round(v)) },
      loadAverage: { before: round(loadBefore), after: round(loadAfter) },
    },
  };
}

/** The worker's binary is chosen by the bench's options, not by an inherited FREEHOLD_LLAMA_BUILD. */
function withoutBuildOverride(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[LLAMA_BUILD_ENV];
  return env;
}

/** KV cache of the worker's context (all its sequences), f16, Qwen2.5-Coder 0.5B/1.5B: 24/28 layers × 2 KV heads × 64/128 dims. */
function kvCacheMiB(contextSize: number): number {
  return (WORKER_SEQUENCES * contextSize * 28 * 2 * 128 * 2 * 2) / 1048576;
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
