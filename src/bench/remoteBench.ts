// `npm run bench -- --engine remote`: a team's llama-server under load. The recorded keystroke trace is replayed
// by 1, 4 and 8 simulated editors at once against one llama-server (`--parallel` = editors), each editor its own
// RemoteEngine and completion pipeline (Freehold's FIM prompt to /completion, cache_prompt, its own id_slot), and
// then the same keystrokes through /infill in llama.vscode's request form (256 prefix lines, 64 suffix lines, the
// typed line as `prompt`, cache_prompt, no slot) as the anchor. Reports keystroke → first token p50/p95, prompt
// tokens the server evaluated per keystroke (its `timings.prompt_n`) and throughput, per editor count.
// Each keystroke's prompt is built by the completion pipeline before the clock starts (the pipeline's own request,
// recorded): the simulated editors share this machine's two cores with the server, and their tree-sitter work would
// otherwise be measured as server latency. The host's part is measured apart (`npm run bench`, host overhead).
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { CompletionPipeline, DEFAULT_COMPLETION_OPTIONS, type CompletionEngine, type ContextSource, type DocumentPosition } from "../completion/pipeline";
import { EngineError, type CompleteParams, type ModelInfo } from "../engine/protocol";
import { RemoteEngine } from "../engine/remote/remoteEngine";
import type { TraceSession, Figure } from "./completionBench";
import { startLlamaServer } from "./llamaServerProcess";
import { median, percentile, round } from "./stats";

export interface RemoteBenchOptions {
  binary: string;
  modelPath: string;
  fixtureDir: string;
  context: ContextSource;
  editorCounts: number[];
  /** Keystrokes per editor (the first is its cold prompt, reported apart). */
  keysPerEditor: number;
  threads: number;
  contextPerSlot: number;
  maxTokens: number;
  log: (line: string) => void;
}

interface FormResult {
  firstTokenMs: number[];
  evaluated: number[];
  coldFirstTokenMs: number[];
  generated: number;
  keystrokes: number;
  wallMs: number;
  failures: string[];
}

export interface RemoteRow {
  editors: number;
  freehold: FormResult;
  infill: FormResult;
}

interface Keystroke {
  position: DocumentPosition;
  /** The document's lines and the cursor, for the /infill form. */
  line: number;
  column: number;
}

export async function runRemoteBench(options: RemoteBenchOptions): Promise<{ figures: Figure[]; rows: RemoteRow[]; details: Record<string, unknown> }> {
  const source = await readFile(join(options.fixtureDir, "StandardController.ts"), "utf8");
  const trace = JSON.parse(await readFile(join(options.fixtureDir, "trace.json"), "utf8")) as { sessions: TraceSession[] };
  const lines = source.split("\n");
  const rows: RemoteRow[] = [];
  const loadBefore = loadavg()[0];

  for (const editors of options.editorCounts) {
    const server = await startLlamaServer({ binary: options.binary, model: options.modelPath, parallel: editors, contextPerSlot: options.contextPerSlot, threads: options.threads, batch: 512 });
    try {
      // Editor i types session i (different places in the file, as different people would).
      const plans = Array.from({ length: editors }, (_, i) => keystrokesOf(trace.sessions[i % trace.sessions.length], lines, options.keysPerEditor));
      options.log(`  ${editors} editor(s): Freehold's prompt to /completion …`);
      const model = await new RemoteEngine({ server: { url: server.url, kind: "llama-server" } }).ensureModel();
      const requests = await Promise.all(plans.map((plan) => recordRequests(plan, model, options)));
      const freehold = await replay(plans, (editor) => freeholdEditor(server.url, editor, requests[editor]), options.log);
      options.log(`  ${editors} editor(s): /infill in llama.vscode's form …`);
      const infill = await replay(plans, () => infillEditor(server.url, lines, options.maxTokens), options.log);
      rows.push({ editors, freehold, infill });
      options.log(`${remoteTable([{ editors, freehold, infill }])}\n  (load average ${loadavg()[0].toFixed(1)}; failed requests: Freehold ${freehold.failures.length}, /infill ${infill.failures.length})`);
    } finally {
      await server.stop();
    }
  }

  const figures: Figure[] = [];
  for (const row of rows) {
    for (const [label, form] of [["Freehold /completion", row.freehold], ["/infill (llama.vscode form)", row.infill]] as const) {
      const prefix = `${row.editors} editor${row.editors > 1 ? "s" : ""}, ${label}:`;
      figures.push(
        { name: `${prefix} keystroke → first token p50`, value: round(median(form.firstTokenMs)), unit: "ms" },
        { name: `${prefix} keystroke → first token p95`, value: round(percentile(form.firstTokenMs, 95)), unit: "ms" },
        { name: `${prefix} prompt tokens evaluated per keystroke p50`, value: median(form.evaluated), unit: "tokens" },
        { name: `${prefix} prompt tokens evaluated per keystroke p95`, value: percentile(form.evaluated, 95), unit: "tokens" },
        { name: `${prefix} cold first prompt, first token p50`, value: round(median(form.coldFirstTokenMs)), unit: "ms" },
        { name: `${prefix} keystrokes answered per second`, value: round((form.keystrokes / form.wallMs) * 1000), unit: "/s" },
        { name: `${prefix} generated tokens per second (server)`, value: round((form.generated / form.wallMs) * 1000), unit: "tokens/s" },
        { name: `${prefix} requests the server failed`, value: form.failures.length, unit: `of ${form.keystrokes + form.failures.length + form.coldFirstTokenMs.length}` },
      );
    }
  }
  return { figures, rows, details: { loadAverage: { before: round(loadBefore), after: round(loadavg()[0]) }, keysPerEditor: options.keysPerEditor, threads: options.threads, contextPerSlot: options.contextPerSlot } };
}

/** The editor table the bench prints: one row per editor count, both request forms side by side. */
export function remoteTable(rows: RemoteRow[]): string {
  const head = ["editors", "Freehold p50 / p95 ms", "evaluated/key p50 (p95)", "/infill p50 / p95 ms", "evaluated/key p50 (p95)", "keys/s F | I", "gen tok/s F | I"];
  const body = rows.map((r) => [
    String(r.editors),
    `${Math.round(median(r.freehold.firstTokenMs))} / ${Math.round(percentile(r.freehold.firstTokenMs, 95))}`,
    `${median(r.freehold.evaluated)} (${percentile(r.freehold.evaluated, 95)})`,
    `${Math.round(median(r.infill.firstTokenMs))} / ${Math.round(percentile(r.infill.firstTokenMs, 95))}`,
    `${median(r.infill.evaluated)} (${percentile(r.infill.evaluated, 95)})`,
    `${((r.freehold.keystrokes / r.freehold.wallMs) * 1000).toFixed(1)} | ${((r.infill.keystrokes / r.infill.wallMs) * 1000).toFixed(1)}`,
    `${((r.freehold.generated / r.freehold.wallMs) * 1000).toFixed(1)} | ${((r.infill.generated / r.infill.wallMs) * 1000).toFixed(1)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join("  ")}`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

function keystrokesOf(session: TraceSession, lines: string[], count: number): Keystroke[] {
  const before = lines.slice(0, session.line - 1).join("\n") + "\n";
  const after = "\n" + lines.slice(session.line).join("\n");
  let typed = "";
  return session.keys.slice(0, count).map((key) => {
    typed += key.text;
    const text = before + session.indent + typed + after;
    return {
      position: { key: `bench-${session.line}.ts`, relativePath: "src/controllers/StandardController.ts", languageId: "typescript", text, offset: before.length + session.indent.length + typed.length, repoName: "msal-browser" },
      line: session.line - 1,
      column: session.indent.length + typed.length,
    };
  });
}

type Ask = (keystroke: Keystroke) => Promise<{ firstTokenMs: number; evaluated: number; generated: number }>;

/**
 * All editors at once: first each one's cold prompt (reported apart), then, together, their warm keystrokes, each
 * editor waiting for its answer before its next key.
 */
async function replay(plans: Keystroke[][], editorFor: (index: number) => { ask: Ask; dispose(): Promise<void> }, log: (line: string) => void): Promise<FormResult> {
  const result: FormResult = { firstTokenMs: [], evaluated: [], coldFirstTokenMs: [], generated: 0, keystrokes: 0, wallMs: 0, failures: [] };
  const editors = plans.map((_, i) => editorFor(i));
  try {
    // A request the server fails (llama-server's output parser can reject a random-weight model's bytes) is
    // counted and reported, and the replay goes on.
    const failed = (i: number) => (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      result.failures.push(message);
      log(`    editor ${i}: ${message}`);
    };
    await Promise.all(
      editors.map(async (editor, i) => {
        const cold = await editor.ask(plans[i][0]).catch(failed(i));
        if (cold) result.coldFirstTokenMs.push(cold.firstTokenMs);
      }),
    );
    const started = performance.now();
    await Promise.all(
      editors.map(async (editor, i) => {
        for (const keystroke of plans[i].slice(1)) {
          try {
            const answer = await editor.ask(keystroke);
            result.firstTokenMs.push(answer.firstTokenMs);
            result.evaluated.push(answer.evaluated);
            result.generated += answer.generated;
            result.keystrokes++;
          } catch (error) {
            failed(i)(error);
          }
        }
      }),
    );
    result.wallMs = performance.now() - started;
  } finally {
    await Promise.all(editors.map((e) => e.dispose()));
  }
  return result;
}

/** The request the completion pipeline sends for each keystroke (its context, prompt and limits), recorded. */
async function recordRequests(plan: Keystroke[], model: ModelInfo, options: RemoteBenchOptions): Promise<Map<Keystroke, CompleteParams>> {
  let last: CompleteParams | undefined;
  const recorder: CompletionEngine = {
    model,
    ensureModel: async () => model,
    complete: async (params) => {
      last = params;
      throw new EngineError("cancelled", "recorded");
    },
  };
  const pipeline = new CompletionPipeline(recorder, options.context, { ...DEFAULT_COMPLETION_OPTIONS, multiline: "never", maxTokensSingle: options.maxTokens, timeLimitMs: 600_000 });
  const requests = new Map<Keystroke, CompleteParams>();
  for (const keystroke of plan) {
    last = undefined;
    await pipeline.complete(keystroke.position);
    if (!last) throw new Error("the pipeline asked nothing for a keystroke");
    requests.set(keystroke, last);
  }
  return requests;
}

/** One editor as Freehold runs it: its own remote engine (its own slot) sending the pipeline's request. */
function freeholdEditor(url: string, index: number, requests: Map<Keystroke, CompleteParams>): { ask: Ask; dispose(): Promise<void> } {
  const engine = new RemoteEngine({ server: { url, kind: "llama-server" }, slot: index, timeouts: { stallTimeoutMs: 600_000 } });
  return {
    ask: async (keystroke) => {
      const started = performance.now();
      let firstTokenMs: number | undefined;
      const result = await engine.complete(requests.get(keystroke)!, { onEvent: () => (firstTokenMs ??= performance.now() - started) });
      return { firstTokenMs: firstTokenMs ?? performance.now() - started, evaluated: result.stats.evaluatedTokens, generated: result.stats.generatedTokens };
    },
    dispose: () => engine.dispose(),
  };
}

/** One editor as llama.vscode asks: /infill with 256 prefix lines, 64 suffix lines, the typed line as `prompt`. */
function infillEditor(url: string, lines: string[], maxTokens: number): { ask: Ask; dispose(): Promise<void> } {
  return {
    ask: async ({ position, line, column }) => {
      const current = position.text.split("\n")[line];
      const body = {
        input_prefix: lines.slice(Math.max(0, line - 256), line).join("\n") + "\n",
        input_suffix: current.slice(column) + "\n" + lines.slice(line + 1, line + 1 + 64).join("\n") + "\n",
        input_extra: [],
        prompt: current.slice(0, column),
        n_predict: maxTokens,
        top_k: 40,
        top_p: 0.99,
        samplers: ["top_k", "top_p", "infill"],
        cache_prompt: true,
        // llama.vscode asks without streaming; streaming here only lets the first token be timed.
        stream: true,
      };
      const started = performance.now();
      const response = await fetch(`${url}/infill`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok || !response.body) throw new Error(`/infill answered HTTP ${response.status}: ${await response.text()}`);
      let firstTokenMs: number | undefined;
      let evaluated = 0;
      let generated = 0;
      let buffer = "";
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const text = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!text.startsWith("data:")) continue;
          const data = JSON.parse(text.slice(5)) as { content?: string; stop?: boolean; timings?: { prompt_n?: number; predicted_n?: number } };
          if (data.content) firstTokenMs ??= performance.now() - started;
          if (data.stop) {
            evaluated = data.timings?.prompt_n ?? 0;
            generated = data.timings?.predicted_n ?? 0;
          }
        }
      }
      return { firstTokenMs: firstTokenMs ?? performance.now() - started, evaluated, generated };
    },
    dispose: async () => undefined,
  };
}
