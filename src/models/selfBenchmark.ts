// The short self-benchmark after a model's first load: greedy generation for about ten seconds at background
// priority (a keystroke completion pre-empts it), measuring prompt and generation tokens per second.
import type { EngineClient } from "../engine/client";
import { EngineError } from "../engine/protocol";

export interface BenchmarkResult {
  /** Generated tokens per second (time to first token excluded). */
  generationTokensPerSecond: number;
  /** Prompt tokens evaluated per second. */
  promptTokensPerSecond: number;
  generatedTokens: number;
  runs: number;
  measuredAt: string;
}

const PROMPT = `// A small TypeScript module.
export interface Point { x: number; y: number }

export function distance(a: Point, b: Point): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  return Math.sqrt(dx * dx + dy * dy);
}

export function centroid(points: Point[]): Point {
`;

/** Undefined when nothing could be measured (every run pre-empted, or fewer than 8 tokens generated). */
export async function runSelfBenchmark(engine: Pick<EngineClient, "complete" | "model">, options: { durationMs?: number; signal?: AbortSignal } = {}): Promise<BenchmarkResult | undefined> {
  // Prompt and answer must fit the completion sequence's context.
  const maxTokens = Math.max(16, Math.min(512, (engine.model?.contextSize ?? 1024) - 256));
  const deadline = performance.now() + (options.durationMs ?? 10_000);
  let generated = 0;
  let generationMs = 0;
  let promptTokens = 0;
  let promptMs = 0;
  let runs = 0;
  // Each run varies the prompt's start so it is evaluated again rather than taken from the KV cache.
  for (let i = 0; performance.now() < deadline - 200 && !options.signal?.aborted && i < 1000; i++) {
    const remaining = Math.max(200, Math.round(deadline - performance.now()));
    try {
      const result = await engine.complete(
        { prompt: [{ text: `// run ${i}\n${PROMPT}` }], maxTokens, timeLimitMs: remaining, priority: "background", temperature: 0 },
        { signal: options.signal },
      );
      if (result.stopReason === "cancelled") continue;
      const s = result.stats;
      runs++;
      if (s.evaluatedTokens > 0 && s.ttftMs > 0) {
        promptTokens += s.evaluatedTokens;
        promptMs += s.ttftMs;
      }
      if (s.generatedTokens > 1) {
        generated += s.generatedTokens - 1;
        generationMs += s.totalMs - s.ttftMs;
      }
    } catch (error) {
      if (options.signal?.aborted) break;
      // A keystroke completion pre-empted this run: measure the next one.
      if (error instanceof EngineError && error.code === "cancelled") continue;
      throw error;
    }
  }
  if (generated < 8 || generationMs <= 0) return undefined;
  return {
    generationTokensPerSecond: round(generated / (generationMs / 1000)),
    promptTokensPerSecond: promptMs > 0 ? round(promptTokens / (promptMs / 1000)) : 0,
    generatedTokens: generated,
    runs,
    measuredAt: new Date().toISOString(),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
