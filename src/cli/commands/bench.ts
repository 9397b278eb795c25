import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeModelFile, type ModelShape } from "../../gguf/index";
import { machineDescription, runCompletionBench, type Figure } from "../../bench/completionBench";
import { runChatBench } from "../../bench/chatBench";
import { createContextSource } from "../contextSource";
import { UsageError } from "../usage";

const SHAPES: Record<string, ModelShape> = { "0.5b": "qwen2.5-coder-0.5b", "1.5b": "qwen2.5-coder-1.5b" };

export async function bench(flags: { json?: boolean; shape?: string; sessions?: string; out?: string }): Promise<void> {
  const wanted = (flags.shape ?? "0.5b,1.5b").split(",").map((s) => s.trim());
  for (const name of wanted) if (!SHAPES[name]) throw new UsageError(`--shape takes ${Object.keys(SHAPES).join(", ")} (comma-separated).`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const root = process.cwd();
  const fixtureDir = resolve(root, "test/fixtures/bench");
  if (!existsSync(join(fixtureDir, "trace.json"))) throw new Error(`Run the benchmark from the repository folder (no ${fixtureDir}/trace.json).`);
  const modelDir = resolve(root, ".freehold-test/models");
  await mkdir(modelDir, { recursive: true });
  const threads = Math.min(availableParallelism(), 8);
  const results: Array<{ model: string; figures: Figure[]; details: Record<string, unknown> }> = [];

  for (const name of wanted) {
    const shape = SHAPES[name];
    const modelPath = join(modelDir, `${shape}-q8_0.gguf`);
    if (!existsSync(modelPath)) {
      log(`generating ${shape} (random weights, Q8_0)…`);
      await writeModelFile(modelPath, shape, { seed: 1 });
    }
    log(`${shape}: ${(statSync(modelPath).size / 1048576).toFixed(0)} MB, ${threads} threads`);
    const result = await runCompletionBench({
      modelPath,
      modelName: shape,
      workerPath: fileURLToPath(new URL("./worker.mjs", import.meta.url)),
      fixtureDir,
      context: await createContextSource(root),
      sessions: flags.sessions ? Number(flags.sessions) : name === "1.5b" ? 3 : 6,
      maxTokens: 8,
      threads,
      contextSize: 4096,
      log,
    });
    results.push({ model: `${shape} Q8_0 (random weights)`, ...result });
    if (!flags.json) printFigures(`${shape} Q8_0`, result.figures);
    if (name === "0.5b") {
      const workerPath = fileURLToPath(new URL("./worker.mjs", import.meta.url));
      const chat = await runChatBench({ modelPath, workerPath, fixtureDir, threads, contextSize: 4096, rounds: 3, log });
      results.push({ model: `${shape} Q8_0 (random weights), chat`, ...chat });
      if (!flags.json) printFigures(`${shape} Q8_0 chat`, chat.figures);
    }
  }

  const report = { date: new Date().toISOString(), machine: machineDescription(), nodeLlamaCpp: "3.21.1", results };
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
