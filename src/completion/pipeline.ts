// One inline completion, from a document position to suggestions: typing-through cache, context,
// FIM prompt for the model's family, generation with KV reuse, post-processing (DESIGN §2).
// Pure: used by the VS Code provider, the CLI and the benchmark alike.
import type { CompleteParams, CompleteResult, ModelInfo, PromptPiece, RequestStats } from "../engine/protocol";
import { EngineError } from "../engine/protocol";
import { estimateTokens } from "../context/tokens";
import { SuggestionCache } from "./cache/suggestionCache";
import { buildPrompt, promptText } from "./prompt/buildPrompt";
import { detectFamily, type FamilyTokens, type FimFamily } from "./prompt/families";
import { postProcess, type Candidate, type FilterContext } from "./postprocess/index";

export interface CompletionEngine {
  readonly model: ModelInfo | undefined;
  ensureModel(): Promise<ModelInfo>;
  complete(params: CompleteParams, options?: { signal?: AbortSignal; onEvent?: (e: { kind: "token"; text: string }) => void }): Promise<CompleteResult>;
}

export interface ContextSnippet {
  path: string;
  startLine: number;
  endLine: number;
  reason: string;
  text: string;
}

/** What the context engine gives the pipeline for one position. */
export interface CompletionContext {
  /** The file before the current line (within the budget). */
  prefix: string;
  /** The current line before the cursor. */
  linePrefix: string;
  /** The rest of the current line and the lines after it (within the budget). */
  suffix: string;
  snippets: ContextSnippet[];
  multiline: boolean;
  /** Trims a multi-line result at the end of the cursor's block (tree-sitter on document + completion). */
  trimBlock?: (completion: string) => Promise<string>;
  /** Why the context was reduced (unknown language, huge file, …), for the debug log. */
  notes?: string[];
}

export interface DocumentPosition {
  /** Absolute path or URI string: the cache key. */
  key: string;
  /** Workspace-relative path, forward slashes: what the model sees. */
  relativePath: string;
  languageId: string;
  text: string;
  offset: number;
  repoName: string;
}

export interface ContextSource {
  /** `tokenScale` corrects the context engine's token estimate to the model's tokenizer (measured per model). */
  build(position: DocumentPosition, multilineSetting: MultilineSetting, tokenScale?: number): Promise<CompletionContext> | CompletionContext;
}

export type MultilineSetting = "auto" | "always" | "never";

export interface CompletionOptions {
  multiline: MultilineSetting;
  maxTokensSingle: number;
  maxTokensMulti: number;
  timeLimitMs: number;
  /** Candidates to generate for cycling (the first is greedy). */
  candidates?: number;
}

export const DEFAULT_COMPLETION_OPTIONS: CompletionOptions = {
  multiline: "auto",
  maxTokensSingle: 24,
  maxTokensMulti: 128,
  timeLimitMs: 10_000,
};

export interface LastPrompt {
  path: string;
  family: FimFamily;
  text: string;
  snippets: ContextSnippet[];
  /** Why the context was reduced, if it was. */
  notes: string[];
  at: Date;
}

export interface CompletionOutcome {
  items: Candidate[];
  source: "cache" | "model" | "none";
  /** Why nothing was suggested, or what was cut. */
  reason?: string;
  stats?: RequestStats;
  raw?: string;
  /** From the start of this call to the first generated text arriving in the host. */
  firstTokenMs?: number;
  timings: { contextMs: number; promptMs: number; modelMs: number; postMs: number; totalMs: number };
}

export class CompletionPipeline {
  readonly cache = new SuggestionCache();
  lastPrompt: LastPrompt | undefined;
  /** Model calls made (completions, not warm-ups): typing through must not add to it. */
  modelCalls = 0;
  /** The prompt pieces of the last model call (the benchmark replays them on raw node-llama-cpp). */
  lastPieces: PromptPiece[] | undefined;
  /** Real prompt tokens per estimated token for the current model (moving average), so budgets are in real tokens. */
  private tokenScale = 1;
  private tokenScaleModel: string | undefined;

  constructor(
    private readonly engine: CompletionEngine,
    private readonly context: ContextSource,
    private readonly options: CompletionOptions = DEFAULT_COMPLETION_OPTIONS,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The cached suggestion for this position, if the user is typing through one: no model call. */
  fromCache(position: DocumentPosition): Candidate[] | undefined {
    const hit = this.cache.get({ path: position.key, prefix: position.text.slice(0, position.offset), suffix: position.text.slice(position.offset) });
    return hit?.texts.map((text) => ({ text, replaceChars: 0 }));
  }

  async complete(position: DocumentPosition, signal?: AbortSignal, priority: "interactive" | "prefetch" = "interactive"): Promise<CompletionOutcome> {
    const started = performance.now();
    const timings = { contextMs: 0, promptMs: 0, modelMs: 0, postMs: 0, totalMs: 0 };
    const done = (outcome: Omit<CompletionOutcome, "timings">): CompletionOutcome => {
      timings.totalMs = round(performance.now() - started);
      return { ...outcome, timings };
    };

    const cached = this.fromCache(position);
    if (cached && cached.length) return done({ items: cached, source: "cache" });

    const model = this.engine.model ?? (await this.engine.ensureModel());
    const { family, tokens } = detectFamily(model);
    if (!tokens) return done({ items: [], source: "none", reason: `${model.name} has no fill-in-the-middle tokens: chat only` });

    if (this.tokenScaleModel !== model.path) {
      this.tokenScaleModel = model.path;
      this.tokenScale = 1;
    }
    let t = performance.now();
    const context = await this.context.build(position, this.options.multiline, this.tokenScale);
    timings.contextMs = round(performance.now() - t);
    if (signal?.aborted) return done({ items: [], source: "none", reason: "cancelled" });

    t = performance.now();
    const prompt = this.prompt(tokens, position, context);
    this.lastPieces = prompt;
    const multiline = context.multiline;
    const stop = [...tokens.stops, ...(multiline ? ["\n\n\n"] : ["\n"])];
    timings.promptMs = round(performance.now() - t);
    const notes = context.notes ?? [];
    if (notes.length) this.log(`context of ${position.relativePath}: ${notes.join("; ")}`);
    this.lastPrompt = { path: position.relativePath, family, text: promptText(prompt), snippets: context.snippets, notes, at: new Date() };

    t = performance.now();
    let firstTokenMs: number | undefined;
    let result: CompleteResult;
    try {
      this.modelCalls++;
      result = await this.engine.complete(
        {
          prompt,
          maxTokens: multiline ? this.options.maxTokensMulti : this.options.maxTokensSingle,
          timeLimitMs: this.options.timeLimitMs,
          stop,
          priority,
          supersedeKey: priority === "interactive" ? "inline" : undefined,
        },
        {
          signal,
          onEvent: () => {
            firstTokenMs ??= round(performance.now() - started);
          },
        },
      );
    } catch (error) {
      if (error instanceof EngineError && error.code === "cancelled") return done({ items: [], source: "none", reason: "cancelled" });
      throw error;
    }
    timings.modelMs = round(performance.now() - t);
    const estimated = estimateTokens(promptText(prompt));
    if (estimated > 50) {
      const measured = result.stats.promptTokens / estimated;
      this.tokenScale = Math.min(4, Math.max(0.25, this.tokenScale + 0.5 * (measured - this.tokenScale)));
    }

    t = performance.now();
    const lineEnd = position.text.indexOf("\n", position.offset);
    const lineSuffix = position.text.slice(position.offset, lineEnd < 0 ? position.text.length : lineEnd).replace(/\r$/, "");
    const filterContext: FilterContext = {
      linePrefix: context.linePrefix,
      lineSuffix,
      nextLines: position.text.slice(lineEnd < 0 ? position.text.length : lineEnd + 1).split(/\r?\n/, 40),
      indentUnit: detectIndentUnit(position.text),
      multiline,
    };
    const trimmed = multiline && context.trimBlock ? await context.trimBlock(result.text) : result.text;
    const candidate = postProcess(trimmed, filterContext);
    timings.postMs = round(performance.now() - t);

    if (!candidate) return done({ items: [], source: "none", reason: "post-processing left nothing", stats: result.stats, raw: result.text, firstTokenMs });
    if (candidate.replaceChars === 0) {
      this.cache.set({ path: position.key, prefix: position.text.slice(0, position.offset), suffix: position.text.slice(position.offset) }, { texts: [candidate.text] });
    }
    return done({ items: [candidate], source: "model", stats: result.stats, raw: result.text, firstTokenMs });
  }

  /** Brings the stable part of this position's next prompt into the KV cache, at the lowest priority. */
  async warm(position: DocumentPosition, signal?: AbortSignal): Promise<RequestStats | undefined> {
    const model = this.engine.model;
    if (!model) return undefined;
    const { tokens } = detectFamily(model);
    if (!tokens) return undefined;
    const context = await this.context.build(position, this.options.multiline, this.tokenScale);
    const pieces = this.prompt(tokens, position, context);
    // The stable part: everything before the suffix token (snippets, path, prefix up to the current line).
    const cut = tokens.suffixFirst ? pieces.findIndex((p) => "special" in p && p.special === tokens.prefix) : pieces.findIndex((p) => "special" in p && p.special === tokens.suffix);
    const stable = cut > 0 ? pieces.slice(0, cut) : pieces;
    try {
      const result = await this.engine.complete({ prompt: stable, maxTokens: 1, evaluateOnly: true, priority: "background" }, { signal });
      return result.stats;
    } catch (error) {
      if (error instanceof EngineError && error.code === "cancelled") return undefined;
      throw error;
    }
  }

  private prompt(tokens: FamilyTokens, position: DocumentPosition, context: CompletionContext): PromptPiece[] {
    return buildPrompt(tokens, {
      repoName: position.repoName,
      path: position.relativePath,
      languageId: position.languageId,
      snippets: context.snippets.map((s) => ({ path: s.path, text: s.text })),
      prefix: context.prefix,
      linePrefix: context.linePrefix,
      suffix: context.suffix,
    });
  }
}

/** The document's indentation unit: a tab, or the most common step between space indents. */
export function detectIndentUnit(text: string): string {
  let tabs = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  let lines = 0;
  for (const line of text.split("\n", 2000)) {
    if (!line.trim()) continue;
    lines++;
    if (line.startsWith("\t")) tabs++;
    const width = /^ */.exec(line)![0].length;
    const step = Math.abs(width - previous);
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  if (tabs > lines / 4) return "\t";
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  return " ".repeat(best);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
