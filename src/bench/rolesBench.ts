// Two models by role (DESIGN "Model roles"): the memory of a worker per role with two 0.5B-shape models loaded,
// beside one process holding both models (the design not taken), and chat's time to first token while
// completions run in the other worker, beside the same with completions idle.
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EngineClient } from "../engine/client";
import { ChatTurns } from "../chat/chatTurn";
import { RoleEngines } from "../models/roleEngines";
import type { Figure } from "./completionBench";
import { median, round } from "./stats";

export interface RolesBenchOptions {
  completionModel: string;
  chatModel: string;
  workerPath: string;
  threads: number;
  contextSize: number;
  rounds: number;
  log?: (line: string) => void;
}

const MB = 1024 * 1024;

/** RSS of one plain Node process that loads both models with a 2-sequence context each (node-llama-cpp directly). */
async function oneProcessRss(paths: string[], contextSize: number, threads: number): Promise<number> {
  const script = `
    const { getLlama } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", maxThreads: ${threads} });
    const held = [];
    for (const modelPath of ${JSON.stringify(paths)}) {
      const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
      const context = await model.createContext({ contextSize: ${contextSize}, sequences: 2, threads: ${threads} });
      const sequence = context.getSequence();
      await sequence.evaluateWithoutGeneratingNewTokens(model.tokenize("function add(a, b) { return a + b; }"));
      held.push(context);
    }
    process.stdout.write(String(process.memoryUsage().rss));
    process.exit(0);`;
  // A file inside the repository (node-llama-cpp resolves from there; its binary check re-runs the script's argv).
  const dir = join(process.cwd(), ".freehold-test");
  const file = join(dir, `roles-one-process-${process.pid}.mjs`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, script);
  try {
    return await new Promise<number>((resolve, reject) => {
      execFile(process.execPath, [file], { cwd: process.cwd(), timeout: 10 * 60_000 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(Number(stdout.trim()));
      });
    });
  } finally {
    await rm(file, { force: true });
  }
}

export async function runRolesBench(options: RolesBenchOptions): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const log = options.log ?? (() => undefined);
  const roles = new RoleEngines(() => new EngineClient({ workerPath: options.workerPath }));
  const params = (path: string) => ({ path, contextSize: options.contextSize, gpuLayers: 0 as const, threads: options.threads });
  roles.setModels({ completion: params(options.completionModel), chat: params(options.chatModel) });
  const turns = new ChatTurns(roles.chatEngine);
  const infill = (i: number) => ({ infill: { prefix: `export function handler${i}(request: Request) {\n  const body = `, suffix: "\n}\n" }, maxTokens: 8, temperature: 0 });

  const chatTtft = async (round: number, busy: boolean): Promise<number> => {
    const started = performance.now();
    let first = -1;
    await turns.run({
      conversationId: `roles-${busy ? "busy" : "idle"}-${round}`,
      messages: [],
      text: `Round ${round}: what does a debounce do?`,
      maxTokens: 8,
      onText: () => {
        if (first < 0) first = performance.now() - started;
      },
    });
    return first < 0 ? performance.now() - started : first;
  };

  let completionsWhileBusy = 0;
  const idle: number[] = [];
  const busy: number[] = [];
  let rss: { completion: number; chat: number };
  try {
    await Promise.all([roles.completion.ensureModel(), roles.chatEngine.ensureModel()]);
    await roles.completion.complete(infill(0));
    await chatTtft(-1, false); // warm both workers once
    const [completionStatus, chatStatus] = await Promise.all([roles.completion.workerStatus(), roles.chat.workerStatus()]);
    rss = { completion: completionStatus.rssBytes, chat: chatStatus.rssBytes };
    log(`roles: worker RSS ${Math.round(rss.completion / MB)} MB (completions) + ${Math.round(rss.chat / MB)} MB (chat)`);
    for (let round = 0; round < options.rounds; round++) {
      idle.push(await chatTtft(round, false));
      // Completions keep running (one after another, as typing would ask) while the chat turn starts.
      let stop = false;
      const typing = (async () => {
        for (let i = 1; !stop; i++) {
          await roles.completion.complete(infill(round * 1000 + i));
          completionsWhileBusy++;
        }
      })();
      await roles.completion.complete(infill(round * 1000));
      busy.push(await chatTtft(round, true));
      stop = true;
      await typing;
      log(`roles round ${round + 1}: chat TTFT ${Math.round(idle.at(-1)!)} ms idle, ${Math.round(busy.at(-1)!)} ms while completions run`);
    }
  } finally {
    await roles.dispose();
  }

  let single: number | undefined;
  try {
    single = await oneProcessRss([options.completionModel, options.chatModel], options.contextSize, options.threads);
    log(`roles: one process holding both models: ${Math.round(single / MB)} MB RSS`);
  } catch (error) {
    log(`roles: one-process measurement failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const total = rss.completion + rss.chat;
  const figures: Figure[] = [
    { name: "two roles: worker RSS, completions + chat", value: Math.round(total / MB), unit: "MB" },
    { name: "two roles: completion worker RSS", value: Math.round(rss.completion / MB), unit: "MB" },
    { name: "two roles: chat worker RSS", value: Math.round(rss.chat / MB), unit: "MB" },
    ...(single !== undefined ? [{ name: "both models in one process (not used), RSS", value: Math.round(single / MB), unit: "MB" }] : []),
    { name: "chat TTFT, completions idle", value: round(median(idle), 0), unit: "ms" },
    { name: "chat TTFT while completions run", value: round(median(busy), 0), unit: "ms" },
  ];
  return {
    figures,
    details: { roles: { rssBytes: rss, oneProcessRssBytes: single, chatTtftIdleMs: idle.map((v) => round(v, 1)), chatTtftBusyMs: busy.map((v) => round(v, 1)), completionsWhileBusy } },
  };
}
