// One inline completion, from a document position to suggestions: typing-through cache, context,
// FIM prompt for the model's family, generation with KV reuse, post-processing (DESIGN §2).
// Pure: used by the VS Code provider, the CLI and the benchmark alike.
import type { CompleteParams, CompleteResult, ModelInfo, PromptPiece, RequestStats } from "../engine/protocol";
import { EngineError } from "../engine/protocol";
import { estimateTokens } from "../context/tokens";
import { contextBudget, type ContextBudget } from "../context/budget";
import { DEFAULTS } from "../config/defaults";
import { gate } from "./gate";
import { lineStopsFor } from "./streamStops";
import { showablePart } from "./streamedText";
import { PromptSpeed, ShortPrompts } from "./coldStart";
import { KeptPrompts } from "./keptPrompts";
import { SuggestionCache, type CacheKey } from "./cache/suggestionCache";
import { buildPrompt, promptText } from "./prompt/buildPrompt";
import { detectFamily, type FamilyTokens, type FimFamily } from "./prompt/families";
import { postProcess, type Candidate, type FilterContext } from "./postprocess/index";
import { EditHold } from "./editHold";

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
  /** The editor's document version for exactly this text (not for a text with a suggestion applied). */
  version?: number;
}

export interface ContextSource {
  /**
   * `tokenScale` corrects the context engine's token estimate to the model's tokenizer (measured per model);
   * `budget` sizes the prefix, suffix and snippets to the model's context (context/budget.ts).
   */
  build(position: DocumentPosition, multilineSetting: MultilineSetting, tokenScale?: number, budget?: ContextBudget): Promise<CompletionContext> | CompletionContext;
}

export type MultilineSetting = "auto" | "always" | "never";

export interface CompletionOptions {
  /** Inline completions while typing (`freehold.completions.enabled`); warm-ahead obeys it too. */
  enabled?: boolean;
  /** Per-language switch (`freehold.completions.languages`, "*" the default); warm-ahead obeys it too. */
  languages?: Readonly<Record<string, boolean>>;
  multiline: MultilineSetting;
  maxTokensSingle: number;
  maxTokensMulti: number;
  timeLimitMs: number;
  /** Candidates to generate for cycling (the first is greedy). */
  candidates?: number;
  /** Answer a request whose context is not in the KV cache from a short prompt, and evaluate the full context in the background (coldStart.ts). */
  coldStart?: boolean;
  /** Quiet time after the last request before the full context of a short-prompt answer is evaluated. */
  fullContextAfterMs?: number;
}

export const DEFAULT_COMPLETION_OPTIONS: CompletionOptions = { ...DEFAULTS.completion };

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
  /** Made from the text streamed so far, while generation goes on (`CompleteOptions.onEarly`). */
  early?: boolean;
  timings: { contextMs: number; promptMs: number; modelMs: number; postMs: number; totalMs: number };
}

export interface CompleteOptions {
  /**
   * Called at most once, as soon as the text streamed so far makes a suggestion, before generation ends (then
   * the suggestion is also answered from memory while typing through it, and grows as more is streamed). The
   * returned outcome is the whole one. Interactive requests only.
   */
  onEarly?: (outcome: CompletionOutcome) => void;
}

/** Whether the engine keeps more than one completion KV cache, so a full context can be evaluated beside a short prompt (kvChoice.ts). */
function hasSpareCache(model: ModelInfo | undefined): boolean {
  return (model?.completionCaches ?? 1) > 1;
}

export class CompletionPipeline {
  readonly cache = new SuggestionCache();
  lastPrompt: LastPrompt | undefined;
  /** Model calls made (completions, not warm-ups): typing through must not add to it. */
  modelCalls = 0;
  /** The prompt pieces of the last model call (the benchmark replays them on raw node-llama-cpp). */
  lastPieces: PromptPiece[] | undefined;
  /** Prompt evaluation speed on this machine, which sizes the short prompt of a cold request. */
  readonly promptSpeed = new PromptSpeed();
  private readonly shortPrompts = new ShortPrompts();
  /** What the engine's completion KV caches hold, as prompt text. */
  private readonly kept = new KeptPrompts();
  /** The full context waiting to be evaluated after a short-prompt answer. */
  private fullContext: { pieces: PromptPiece[]; timer: ReturnType<typeof setTimeout>; controller: AbortController; attempt?: AbortController } | undefined;
  /** Holds the full context back from an edit until the request the edit brings is answering (yieldToEdit). */
  private readonly editHold = new EditHold();
  /** Set when the last model call answered from a short prompt (for tests and the debug log). */
  lastShortPrompt = false;
  /** Real prompt tokens per estimated token for the current model (moving average), so budgets are in real tokens. */
  private tokenScale = 1;
  private tokenScaleModel: string | undefined;

  private readonly readOptions: () => CompletionOptions;
  private readonly cacheKeys = new WeakMap<DocumentPosition, CacheKey>();
  private readonly indentUnits = new IndentUnits();

  /** `options` may be a function: it is read on every request, so changed settings apply at once. */
  constructor(
    private readonly engine: CompletionEngine,
    private readonly context: ContextSource,
    options: CompletionOptions | (() => CompletionOptions) = DEFAULT_COMPLETION_OPTIONS,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.readOptions = typeof options === "function" ? options : () => options;
  }

  private get options(): CompletionOptions {
    return this.readOptions();
  }

  /** The cache's key of a position, one per position object: the cache then compares its texts once per keystroke, not per lookup. */
  private cacheKeyOf(position: DocumentPosition): CacheKey {
    let key = this.cacheKeys.get(position);
    if (!key || key.path !== position.key) {
      key = { path: position.key, prefix: position.text.slice(0, position.offset), suffix: position.text.slice(position.offset) };
      this.cacheKeys.set(position, key);
    }
    return key;
  }

  /** The cached suggestion for this position, if the user is typing through one: no model call. */
  fromCache(position: DocumentPosition): Candidate[] | undefined {
    const hit = this.cache.get(this.cacheKeyOf(position));
    return hit?.texts.map((text) => ({ text, replaceChars: 0 }));
  }

  async complete(position: DocumentPosition, signal?: AbortSignal, priority: "interactive" | "prefetch" = "interactive", options: CompleteOptions = {}, retried = false): Promise<CompletionOutcome> {
    const started = performance.now();
    const timings = { contextMs: 0, promptMs: 0, modelMs: 0, postMs: 0, totalMs: 0 };
    const done = (outcome: Omit<CompletionOutcome, "timings">): CompletionOutcome => {
      // A cancelled request has a newer one behind it (VS Code asked again, the suggest widget opened): the hold
      // waits for that one, or its time limit, so the full context does not start a step in front of it.
      if (priority === "interactive" && outcome.reason !== "cancelled") this.editHold.release();
      timings.totalMs = round(performance.now() - started);
      return { ...outcome, timings: { ...timings } };
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
    const context = await this.context.build(position, this.options.multiline, this.tokenScale, this.budget(model));
    timings.contextMs = round(performance.now() - t);
    if (signal?.aborted) return done({ items: [], source: "none", reason: "cancelled" });

    t = performance.now();
    this.kept.forModel(model);
    if (priority !== "interactive" && this.fullContext) {
      // A short-prompt answer's full context is still to be evaluated: a prefetch would only compete with it.
      return done({ items: [], source: "none", reason: "the full context is still being evaluated" });
    }
    const full = this.prompt(tokens, position, context);
    let prompt = full;
    this.lastShortPrompt = false;
    if (priority === "interactive" && this.options.coldStart) {
      const short = this.shortPrompt(tokens, position, context, full);
      if (short) {
        prompt = short.pieces;
        this.lastShortPrompt = true;
        this.log(`cold start in ${position.relativePath}: about ${Math.round(short.uncached * this.tokenScale)} prompt tokens not in the KV cache; answering from a ${Math.round(short.size * this.tokenScale)}-token prompt, the full context follows in the background`);
      }
    }
    // A pending full context goes on behind a short-prompt answer when it has a cache of its own (kvChoice.ts): the
    // keystroke pre-empts it in the worker, it resumes after. Otherwise this request makes it obsolete.
    if (priority === "interactive" && !(this.lastShortPrompt && hasSpareCache(model))) this.cancelFullContext();
    this.lastPieces = prompt;
    const multiline = context.multiline;
    const stop = [...tokens.stops, ...(multiline ? ["\n\n\n"] : ["\n"])];
    timings.promptMs = round(performance.now() - t);
    const notes = context.notes ?? [];
    if (notes.length) this.log(`context of ${position.relativePath}: ${notes.join("; ")}`);
    this.lastPrompt = { path: position.relativePath, family, text: promptText(prompt), snippets: context.snippets, notes, at: new Date() };

    const filterContext = this.filterContext(position, context.linePrefix, multiline);
    const stopLines = multiline ? lineStopsFor(position.text, position.offset) : undefined;
    const cacheKey = this.cacheKeyOf(position);
    const onEarly = priority === "interactive" ? options.onEarly : undefined;
    let streamed = "";
    let shown: Candidate | undefined;

    t = performance.now();
    let firstTokenMs: number | undefined;
    let result: CompleteResult;
    const promptString = promptText(prompt);
    const cache = this.kept.choose(promptString, priority);
    try {
      this.modelCalls++;
      result = await this.engine.complete(
        {
          prompt,
          maxTokens: multiline ? this.options.maxTokensMulti : this.options.maxTokensSingle,
          timeLimitMs: this.options.timeLimitMs,
          stop,
          stopLines,
          priority,
          supersedeKey: priority === "interactive" ? "inline" : undefined,
        },
        {
          signal,
          onEvent: (event) => {
            if (firstTokenMs === undefined && priority === "interactive") this.editHold.release();
            firstTokenMs ??= round(performance.now() - started);
            if (!onEarly) return;
            streamed += event.text;
            const part = showablePart(streamed, stop, multiline, stopLines);
            if (!part.trim() || part === shown?.text) return;
            const candidate = postProcess(part, filterContext);
            if (!candidate || candidate.text === shown?.text) return;
            const first = shown === undefined;
            shown = candidate;
            if (candidate.replaceChars === 0) this.cache.set(cacheKey, { texts: [candidate.text] });
            if (first) {
              timings.modelMs = round(performance.now() - t);
              onEarly(done({ items: [candidate], source: "model", firstTokenMs, early: true }));
            }
          },
        },
      );
    } catch (error) {
      if (shown) this.cache.delete(cacheKey);
      this.kept.interrupted(cache, promptString);
      if (error instanceof EngineError && error.code === "cancelled") return done({ items: [], source: "none", reason: "cancelled" });
      // The model's tokenizer counts more tokens than the estimate (a first request, a new model): scale the
      // budget to the count the worker reports and ask once more.
      const tooLong = error instanceof EngineError && error.code === "bad-request" ? /The prompt \((\d+) tokens\)/.exec(error.message) : null;
      if (tooLong && !retried) {
        this.tokenScale = Math.min(8, Math.max(this.tokenScale * 1.1, (Number(tooLong[1]) / Math.max(1, estimateTokens(promptText(prompt)))) * 1.1));
        return this.complete(position, signal, priority, options, true);
      }
      throw error;
    }
    this.kept.evaluated(cache, promptString);
    this.promptSpeed.observe(result.stats);
    if (this.lastShortPrompt) this.scheduleFullContext(beforeTypedLine(tokens, full));
    timings.modelMs = round(performance.now() - t);
    const estimated = estimateTokens(promptText(prompt));
    // A server that does not report the whole prompt's size (Ollama) says 0: nothing to learn from.
    if (estimated > 50 && result.stats.promptTokens > 0) {
      const measured = result.stats.promptTokens / estimated;
      this.tokenScale = Math.min(8, Math.max(0.25, this.tokenScale + 0.5 * (measured - this.tokenScale)));
    }

    t = performance.now();
    const trimmed = multiline && context.trimBlock ? await context.trimBlock(result.text) : result.text;
    const candidate = postProcess(trimmed, filterContext);
    timings.postMs = round(performance.now() - t);

    if (!candidate) {
      if (shown) this.cache.delete(cacheKey);
      return done({ items: [], source: "none", reason: "post-processing left nothing", stats: result.stats, raw: result.text, firstTokenMs });
    }
    if (candidate.replaceChars === 0) this.cache.set(cacheKey, { texts: [candidate.text] });
    else if (shown) this.cache.delete(cacheKey);
    return done({ items: [candidate], source: "model", stats: result.stats, raw: result.text, firstTokenMs });
  }

  /** What post-processing knows of the position: the line around the cursor and up to 40 lines after it. */
  private filterContext(position: DocumentPosition, linePrefix: string, multiline: boolean): FilterContext {
    const { text, offset } = position;
    const lineEnd = text.indexOf("\n", offset);
    const lineSuffix = text.slice(offset, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, "");
    const nextLines: string[] = [];
    // With indexOf: `split(…, 40)` would find every line of the rest of the file before it cuts.
    for (let start = lineEnd + 1; lineEnd >= 0 && nextLines.length < 40 && start <= text.length; ) {
      const end = text.indexOf("\n", start);
      nextLines.push(text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ""));
      if (end < 0) break;
      start = end + 1;
    }
    return { linePrefix, lineSuffix, nextLines, indentUnit: this.indentUnits.of(position.key, text), multiline };
  }

  /**
   * Brings the stable part of this position's next prompt into the KV cache, at the lowest priority.
   * Skipped (undefined) where typing would not ask for a completion: disabled, language off, file too large.
   */
  async warm(position: DocumentPosition, signal?: AbortSignal): Promise<RequestStats | undefined> {
    const skip = warmGate(position, this.options);
    if (skip) {
      this.log(`warm-ahead skipped for ${position.relativePath}: ${skip}`);
      return undefined;
    }
    const model = this.engine.model;
    if (!model) return undefined;
    const { tokens } = detectFamily(model);
    if (!tokens) return undefined;
    const context = await this.context.build(position, this.options.multiline, this.tokenScale, this.budget(model));
    const full = this.prompt(tokens, position, context);
    this.kept.forModel(model);
    // A cold place (a file just opened, a far jump) with two caches to keep them in: first the short prompt the
    // first keystroke there will be answered from (a fraction of a second), then the full context into the other
    // cache (kvChoice.ts), which the keystrokes after it use once it is in.
    const short = this.options.coldStart && hasSpareCache(model) ? this.shortPrompt(tokens, position, context, full) : undefined;
    if (short) {
      const stats = await this.evaluate(beforeTypedLine(tokens, short.pieces), signal);
      if (!stats) return undefined;
      this.log(`warm-ahead: short prompt for ${position.relativePath} in the KV cache (${stats.evaluatedTokens} tokens evaluated in ${Math.round(stats.totalMs)} ms)`);
    }
    // Up to the middle token: the suffix at the cursor stays while the user types on its line.
    return this.evaluate(beforeTypedLine(tokens, full), signal);
  }

  /** Evaluates prompt pieces into the completion sequence at the lowest priority (a real request pre-empts it). */
  private async evaluate(pieces: PromptPiece[], signal?: AbortSignal): Promise<RequestStats | undefined> {
    this.kept.forModel(this.engine.model);
    const text = promptText(pieces);
    const cache = this.kept.choose(text);
    try {
      const result = await this.engine.complete({ prompt: pieces, maxTokens: 1, evaluateOnly: true, priority: "background" }, { signal });
      this.kept.evaluated(cache, text);
      this.promptSpeed.observe(result.stats, true);
      return result.stats;
    } catch (error) {
      this.kept.interrupted(cache, text);
      if (error instanceof EngineError && error.code === "cancelled") return undefined;
      throw error;
    }
  }

  /**
   * The short prompt for a cold place (coldStart.ts), or undefined when the full one is as good: when the cache
   * holds the stable part, or the full prompt would take less than twice the short one's time. Sizes in
   * estimated tokens.
   */
  private shortPrompt(tokens: FamilyTokens, position: DocumentPosition, context: CompletionContext, full: PromptPiece[]): { pieces: PromptPiece[]; uncached: number; size: number } | undefined {
    const kept = promptText(beforeTypedLine(tokens, full));
    const cached = this.kept.cachedStart(kept);
    if (cached >= promptText(stablePart(tokens, full)).length) return undefined;
    const uncached = estimateTokens(kept.slice(cached));
    const budget = this.shortPrompts.budget(this.promptSpeed.tokensPerSecond, this.tokenScale);
    const size = budget.prefixTokens + budget.suffixTokens;
    if (uncached <= 2 * size) return undefined;
    return { pieces: this.prompt(tokens, position, this.shortPrompts.cut(position, context, budget)), uncached, size };
  }

  /** The context's budget for the model's context size and the larger output cap. */
  private budget(model: ModelInfo): ContextBudget {
    return contextBudget({ contextSize: model.contextSize, maxOutputTokens: Math.max(this.options.maxTokensSingle, this.options.maxTokensMulti) });
  }

  /** After a short-prompt answer: the full context, once no request has come for a moment. */
  private scheduleFullContext(pieces: PromptPiece[]): void {
    // With a cache of its own, a full context already on its way goes on with this answer's pieces (they start as
    // its own do, so what it has evaluated stays of use). Restarted after every answer, with its delay, it found no
    // time between the keystrokes of steady typing on a slow machine, and every keystroke stayed a cold start.
    if (this.fullContext && hasSpareCache(this.engine.model)) {
      this.fullContext.pieces = pieces;
      return;
    }
    this.cancelFullContext();
    const controller = new AbortController();
    const timer = setTimeout(() => void this.evaluateFullContext(controller), this.options.fullContextAfterMs ?? 400);
    (timer as { unref?: () => void }).unref?.();
    this.fullContext = { pieces, timer, controller };
  }

  /**
   * Evaluates a short-prompt answer's full context. With a cache of its own, a keystroke that pre-empts it does not
   * end it: it is asked again at once, waits in the worker's queue behind the keystroke (or, stopped by an edit,
   * here until the edit's request is answering) and goes on from the tokens it had evaluated (they stay in its
   * cache). Each attempt evaluates the pieces of the latest short-prompt answer (scheduleFullContext).
   */
  private async evaluateFullContext(controller: AbortController): Promise<void> {
    const started = performance.now();
    const resumes = hasSpareCache(this.engine.model) ? 100 : 0;
    for (let attempt = 0; attempt <= resumes && !controller.signal.aborted; attempt++) {
      await this.editHold.whenReleased();
      if (controller.signal.aborted || this.fullContext?.controller !== controller) break;
      const { pieces } = this.fullContext;
      const step = new AbortController();
      const stop = () => step.abort();
      controller.signal.addEventListener("abort", stop, { once: true });
      this.fullContext.attempt = step;
      let stats: RequestStats | undefined;
      try {
        stats = await this.evaluate(pieces, step.signal); // undefined: cancelled (pre-empted, by an edit, or by us)
      } catch {
        break; // a failure, not a pre-emption: the next short-prompt answer schedules it again
      } finally {
        controller.signal.removeEventListener("abort", stop);
      }
      // Evaluated; unless a later answer brought newer pieces meanwhile: then their difference too.
      if (stats && this.fullContext?.pieces === pieces) {
        this.log(`full context evaluated in the background: ${stats.evaluatedTokens} tokens (${attempt} resumed after a keystroke) in ${Math.round(performance.now() - started)} ms`);
        break;
      }
    }
    if (this.fullContext?.controller === controller) this.fullContext = undefined;
  }

  /**
   * An edit that VS Code will ask about in a moment (50 ms after it): a full context being evaluated stops at its
   * next step now, with what it has evaluated kept in its cache, and goes on once that request is answering (or
   * after EDIT_HOLD_MS, when none comes). Otherwise the request would wait in the worker for the step in progress.
   */
  yieldToEdit(): void {
    this.editHold.hold();
    this.fullContext?.attempt?.abort();
  }

  /** Background work is held back from an edit until its request answers (yieldToEdit); for tests. */
  get heldForEdit(): boolean {
    return this.editHold.holding;
  }

  /** The full context's evaluation still to come or running, for a test or the benchmark to wait on. */
  get fullContextPending(): boolean {
    return this.fullContext !== undefined;
  }

  private cancelFullContext(): void {
    if (!this.fullContext) return;
    clearTimeout(this.fullContext.timer);
    this.fullContext.controller.abort();
    this.fullContext = undefined;
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

/** The part of a prompt that stays the same while typing on one line: everything before the suffix (or, suffix first, the prefix) token. */
function stablePart(tokens: FamilyTokens, pieces: PromptPiece[]): PromptPiece[] {
  const cut = tokens.suffixFirst ? pieces.findIndex((p) => "special" in p && p.special === tokens.prefix) : pieces.findIndex((p) => "special" in p && p.special === tokens.suffix);
  return cut > 0 ? pieces.slice(0, cut) : pieces;
}

/** What stays while typing at this place: all but the current line's text after the middle token (suffix first: the stable part). */
function beforeTypedLine(tokens: FamilyTokens, pieces: PromptPiece[]): PromptPiece[] {
  if (tokens.suffixFirst) return stablePart(tokens, pieces);
  const middle = pieces.findIndex((p) => "special" in p && p.special === tokens.middle);
  return middle > 0 ? pieces.slice(0, middle + 1) : pieces;
}

/** Why warm-ahead is skipped for this position (the typing gate with what a warm-up knows), or undefined. */
export function warmGate(position: DocumentPosition, options: CompletionOptions): string | undefined {
  if (options.enabled === false) return "completions are disabled";
  return gate({
    languageId: position.languageId,
    languages: options.languages ?? { "*": true },
    uriScheme: /^[a-z][\w+.-]*:/i.test(position.key) && !/^[a-z]:[\\/]/i.test(position.key) ? position.key.slice(0, position.key.indexOf(":")) : "file",
    cursorCount: 1,
    lineSuffix: "",
    manual: false,
    justAcceptedLine: false,
    documentLength: position.text.length,
  });
}

/** Per document, the indentation unit and the 2,000 lines it was read from: read again only when those lines change. */
class IndentUnits {
  private readonly known = new Map<string, { head: string; unit: string }>();

  of(key: string, text: string): string {
    const known = this.known.get(key);
    if (known && text.startsWith(known.head)) return known.unit;
    const { unit, headEnd } = indentUnitOf(text);
    if (headEnd === undefined) return unit; // fewer lines: text added at the end would be read too
    this.known.delete(key);
    this.known.set(key, { head: text.slice(0, headEnd), unit });
    if (this.known.size > 16) this.known.delete(this.known.keys().next().value!);
    return unit;
  }
}

const INDENT_LINES = 2000;

/** The document's indentation unit: a tab, or the most common step between space indents. */
export function detectIndentUnit(text: string): string {
  return indentUnitOf(text).unit;
}

/**
 * The indentation unit from the first 2,000 lines, and where those lines end (after the last one's newline)
 * when the text has more: the unit depends on nothing after that.
 */
function indentUnitOf(text: string): { unit: string; headEnd?: number } {
  let tabs = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  let lines = 0;
  let start = 0;
  let read = 0;
  // Found with indexOf: `split("\n", 2000)` finds every line of the file before it cuts.
  for (; read < INDENT_LINES && start <= text.length; read++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line.trim()) continue;
    lines++;
    if (line.startsWith("\t")) tabs++;
    const width = /^ */.exec(line)![0].length;
    const step = Math.abs(width - previous);
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  const headEnd = read === INDENT_LINES && start <= text.length ? start : undefined;
  if (tabs > lines / 4) return { unit: "\t", headEnd };
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  return { unit: " ".repeat(best), headEnd };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
