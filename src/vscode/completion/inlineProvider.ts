// VS Code's side of inline completions: gate, typing-through, debounce, the pipeline, display, prefetch.
import * as vscode from "vscode";
import { AdaptiveDebounce, atEndOfWriting, wait } from "../../completion/debounce";
import { gate } from "../../completion/gate";
import type { CompletionOutcome, CompletionPipeline, DocumentPosition } from "../../completion/pipeline";
import { extendSelectedItem, withSelectedItem, type SelectedItem } from "../../completion/selectedItem";
import { toDocumentPosition } from "./documentPosition";

const VSCODE_INLINE_DEBOUNCE_MS = 50;
/** How long Tab still accepts a grown suggestion after VS Code has been given it again, until it is on screen. */
const REFRESH_SHOWN_MS = 300;

export interface InlineSettings {
  enabled: boolean;
  languages: Record<string, boolean>;
}

/** Where the time of one shown suggestion went, in ms: `totalMs` = debounce + context + queue + first token + rest (generation, post-processing, IPC). */
export interface ShownTimings {
  totalMs: number;
  debounceMs: number;
  contextMs: number;
  queueMs: number;
  firstTokenMs: number;
  restMs: number;
}

export class InlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly debounce = new AdaptiveDebounce();
  private justAcceptedLine = false;
  private prefetching: AbortController | undefined;
  /** The text and cursor the running prefetch expects (the last suggestion accepted whole). */
  private prefetchedFor: DocumentPosition | undefined;
  /** The last suggestion was shown beside the suggest widget's selected item. */
  private besideItem = false;
  /** The generation of a suggestion shown while it streams, going on after VS Code has it. */
  private streaming: AbortController | undefined;
  /** Set while VS Code is asked again for a suggestion that was shown while it streamed and has ended. */
  private refreshing: Refreshing | undefined;
  /** What Tab accepts while the `freehold.suggestionRefreshing` context key is set. */
  private refreshingTab: Refreshing | undefined;
  private refreshingKeyTimer: ReturnType<typeof setTimeout> | undefined;

  /** The outcome of the last request, for tests and the debug log. */
  lastOutcome: CompletionOutcome | undefined;
  /** How long the last shown suggestion took from VS Code's call, and where the time went. */
  lastShown: ShownTimings | undefined;
  /** Told each time a suggestion is handed to VS Code (the status bar shows it). */
  onShown: ((timings: ShownTimings) => void) | undefined;

  constructor(
    private readonly pipeline: CompletionPipeline,
    private readonly settings: () => InlineSettings,
    private readonly debug: (line: string) => void,
    /** Test-only (`testHooks.ts`): how long the answer to VS Code's ask-again of a grown suggestion waits. */
    private readonly refreshDelayMs = 0,
  ) {}

  /**
   * The debounce learns the typing speed from the edits in the active editor, each as it happens: VS Code asks
   * only after its own 50 ms pause (not for every key) and also asks without an edit (a refresh, the suggest
   * widget's selection).
   */
  private readonly edits = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.contentChanges.length === 0 || event.document.uri.toString() !== vscode.window.activeTextEditor?.document.uri.toString()) return;
    this.debounce.keystroke(Date.now());
    this.yieldToEdit(event);
  });

  dispose(): void {
    clearTimeout(this.refreshingKeyTimer);
    this.edits.dispose();
    this.prefetching?.abort();
    this.streaming?.abort();
  }

  /**
   * The user has left the place of the last suggestion (another editor, a far jump): its generation still
   * streaming and the prefetch of the one after it are of no use any more, and would hold the worker from the
   * warm-up and the first keystroke at the new place.
   */
  leavePlace(why: string): void {
    const stopped = [this.streaming, this.prefetching].filter((c) => c && !c.signal.aborted);
    for (const controller of stopped) controller!.abort();
    this.streaming = this.prefetching = this.prefetchedFor = undefined;
    if (stopped.length) this.debug(`stopped the work for the last suggestion's place (${why})`);
  }

  /**
   * An edit VS Code will ask about 50 ms after it (its own debounce). Unless it types through or accepts the
   * suggestion on screen (memory answers that), the work the worker is doing is of no use to the answer: the rest
   * of the last suggestion, the prefetch of the one after it, a full context in the background. They are stopped
   * now, so the worker has finished its step in progress by the time the request comes, instead of the request
   * waiting for it. Beside the suggest widget nothing is stopped: typing the selected item's letters keeps the
   * text the suggestion was made for (the item inserted), which memory answers.
   */
  private yieldToEdit(event: vscode.TextDocumentChangeEvent): void {
    const working = [this.streaming, this.prefetching].some((c) => c && !c.signal.aborted) || this.pipeline.fullContextPending;
    if (!working || this.besideItem || this.followsSuggestion(event)) return;
    this.leavePlace("edited");
    this.pipeline.yieldToEdit();
  }

  /** Whether an edit types through the suggestion on screen, or accepts it whole (the prefetch is for that). */
  private followsSuggestion(event: vscode.TextDocumentChangeEvent): boolean {
    if (event.contentChanges.length !== 1) return false;
    const change = event.contentChanges[0];
    const { document } = event;
    const offset = change.rangeOffset + change.text.length;
    const after = toDocumentPosition(document, document.positionAt(offset));
    if (this.pipeline.fromCache(after)?.length) return true;
    const next = this.prefetchedFor;
    return next !== undefined && next.key === after.key && next.offset === offset && next.text === after.text;
  }

  markLineAccepted(): void {
    this.justAcceptedLine = true;
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    const called = performance.now();
    const settings = this.settings();
    let manual = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    if (!settings.enabled && !manual) return undefined;
    const editor = vscode.window.activeTextEditor;
    const line = document.lineAt(position.line).text;
    // The suggest widget is open with an item selected: complete as if it were inserted (the ghost text then
    // extends the item; VS Code hides ghost text that does not).
    const selected = selectedItemOf(document, context.selectedCompletionInfo);
    const afterCursor = selected && context.selectedCompletionInfo!.range.end.line === position.line ? context.selectedCompletionInfo!.range.end.character : position.character;
    const skip = gate({
      languageId: document.languageId,
      languages: settings.languages,
      uriScheme: document.uri.scheme,
      cursorCount: editor && editor.document === document ? editor.selections.length : 1,
      lineSuffix: line.slice(afterCursor),
      manual,
      justAcceptedLine: this.justAcceptedLine,
      documentLength: document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
    });
    this.justAcceptedLine = false;
    if (skip) {
      this.debug(`skipped: ${skip}`);
      return undefined;
    }

    const plain = toDocumentPosition(document, position);
    const at = selected ? withSelectedItem(plain, selected.item) : plain;
    if (manual && this.refreshing?.document === document && this.refreshing.version === document.version) {
      if (this.refreshDelayMs && !(await wait(this.refreshDelayMs, abortSignalOf(token)))) return undefined;
      if (!this.refreshing) return undefined; // Tab accepted it meanwhile
      const answer = this.refreshed(document, position, at, selected);
      // Kept a moment after the answer: VS Code shows it a frame or more later (in a test under load the key,
      // cleared at once, was off before the ghost text was on). Tab then inserts the same whole suggestion VS Code
      // would. The keybinding does not wait for `!inlineSuggestionVisible`: right after the hide VS Code's key still
      // said visible with no ghost text on screen, and its own Tab commit then did nothing (1 of 5 UI test runs).
      if (answer?.items.length) this.setRefreshingKey(this.refreshingTab, REFRESH_SHOWN_MS);
      else this.setRefreshingKey(undefined);
      if (answer) return answer;
      manual = false; // not the user's Alt+\\: typing goes on as usual
    }
    this.refreshing = undefined;
    this.setRefreshingKey(undefined);
    const cached = this.pipeline.fromCache(at);
    if (cached?.length) {
      this.debug(`typed through a shown suggestion (no model call; ${this.pipeline.modelCalls} model calls so far)`);
      return this.items(cached, position, selected);
    }

    let debounceMs = 0;
    let delay = 0;
    if (!manual) {
      // VS Code itself waits 50 ms after the last key before it asks (its InlineCompletionsDebounce).
      delay = Math.max(0, this.debounce.delay(atEndOfWriting(line.slice(position.character))) - VSCODE_INLINE_DEBOUNCE_MS);
      if (!(await wait(delay, abortSignalOf(token)))) return undefined;
      debounceMs = performance.now() - called;
    }
    if (token.isCancellationRequested) return undefined;

    if (selected) this.debug(`completing beside the suggest widget's item ${JSON.stringify(selected.item.text)}`);
    // VS Code's token cancels the request until ghost text is shown; after that the generation goes on (the
    // next keystroke's request supersedes it in the worker) and the ghost text grows when it ends.
    const generation = new AbortController();
    const versionAsked = document.version;
    let shownEarly = false;
    token.onCancellationRequested(() => {
      if (!shownEarly) generation.abort();
    });
    let early: CompletionOutcome | undefined;
    const first = new Promise<CompletionOutcome | undefined>((resolve) => {
      const onEarly = (outcome: CompletionOutcome) => {
        early = outcome;
        resolve(outcome);
      };
      this.pipeline.complete(at, generation.signal, "interactive", { onEarly }).then(
        (outcome) => {
          this.logOutcome(outcome);
          if (this.streaming === generation) this.streaming = undefined;
          if (early && !generation.signal.aborted) this.streamEnded({ document, version: versionAsked, position, selected: selected !== undefined, early }, at, outcome);
          else resolve(outcome);
        },
        (error: unknown) => {
          this.debug(`completion failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(undefined);
        },
      );
    });
    const outcome = await first;
    if (!outcome) return undefined;
    if (!outcome.items.length || token.isCancellationRequested) {
      if (outcome.early) generation.abort();
      return undefined;
    }
    shownEarly = outcome.early === true;
    if (shownEarly) this.streaming = generation;
    this.besideItem = selected !== undefined;
    this.lastOutcome = outcome;
    this.reportShown(performance.now() - called, debounceMs, delay, outcome);
    if (!shownEarly) this.prefetch(at, outcome.items[0].text, outcome.items[0].replaceChars);
    return this.items(outcome.items, position, selected);
  }

  private logOutcome(outcome: CompletionOutcome): void {
    const t = outcome.timings;
    this.debug(
      `${outcome.source === "model" || outcome.stats ? `model call #${this.pipeline.modelCalls}` : outcome.source}${outcome.reason ? ` (${outcome.reason})` : ""}: context ${t.contextMs} ms, prompt ${t.promptMs} ms, model ${t.modelMs} ms, post ${t.postMs} ms, total ${t.totalMs} ms` +
        (outcome.stats
          ? `; prompt ${outcome.stats.promptTokens} tokens (${outcome.stats.reusedTokens} reused, ${outcome.stats.evaluatedTokens} evaluated), ${outcome.stats.generatedTokens} generated, first token ${outcome.stats.ttftMs} ms after ${outcome.stats.queueMs} ms in the worker's queue`
          : ""),
    );
  }

  /**
   * A suggestion shown while it streamed is whole: ask VS Code again if the editor is still where it was or has
   * typed into it (the answer then comes from memory, or, if the whole text dropped what was shown, is none).
   */
  private streamEnded(shown: ShownWhileStreaming, at: DocumentPosition, outcome: CompletionOutcome): void {
    if (outcome.reason === "cancelled") return;
    this.lastOutcome = outcome;
    if (outcome.items.length) this.prefetch(at, outcome.items[0].text, outcome.items[0].replaceChars);
    const shownText = shown.early.items[0].text;
    if (outcome.items[0]?.text === shownText && outcome.items[0].replaceChars === shown.early.items[0].replaceChars) return;
    const { document } = shown;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document !== document || editor.selections.length !== 1) return;
    // Only while the editor still shows the suggestion: the cursor where it was, or typed into the shown text.
    const cursor = editor.selection.active;
    if (shown.selected) {
      if (document.version !== shown.version) return;
    } else {
      if (typedInto(document, shown.position, cursor, shownText) === undefined) return;
    }
    this.refreshing = { document, version: document.version, offset: document.offsetAt(shown.position), outcome };
    this.debug(`the suggestion shown while streaming is whole (${outcome.items[0]?.text.length ?? 0} characters): asking VS Code again`);
    // Tab pressed before the whole suggestion is back on screen accepts it (acceptRefreshing), instead of indenting.
    if (!shown.selected && outcome.items.length) this.setRefreshingKey(this.refreshing);
    // An explicit trigger alone keeps the suggestion on screen (VS Code preserves the current item and lists the
    // new one after it); hidden first, the new answer replaces it. Both are sent at once: one round trip of the
    // provider's answer from memory without ghost text.
    void vscode.commands.executeCommand("editor.action.inlineSuggest.hide");
    void vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
  }

  /**
   * Tab while a streamed suggestion that has ended is off screen, between the hide and VS Code's new answer
   * (~150 ms): it accepts the whole suggestion, as Tab would have a moment before or after. False when there is
   * none to accept here (Tab then does what it does without a suggestion).
   */
  async acceptRefreshing(): Promise<boolean> {
    const refreshing = this.refreshingTab;
    this.setRefreshingKey(undefined);
    const editor = vscode.window.activeTextEditor;
    const item = refreshing?.outcome.items[0];
    const notHere = (why: string) => {
      this.debug(`Tab while a grown suggestion was off screen: not accepted (${why}), Tab as usual`);
      return false;
    };
    if (!refreshing || !item) return notHere("none");
    if (!editor || editor.document !== refreshing.document || editor.document.version !== refreshing.version) return notHere("the text changed");
    if (editor.selections.length !== 1 || !editor.selection.isEmpty) return notHere("a selection");
    const { document } = editor;
    const cursor = editor.selection.active;
    const typed = typedInto(document, document.positionAt(refreshing.offset), cursor, item.text);
    if (typed === undefined) return notHere("the cursor moved");
    if (this.refreshing === refreshing) this.refreshing = undefined;
    const rest = item.text.slice(typed.length);
    const replaced = new vscode.Range(cursor, cursor.translate(0, Math.min(item.replaceChars, document.lineAt(cursor.line).text.length - cursor.character)));
    this.debug(`Tab before the whole suggestion was back on screen: accepted its ${item.text.length} characters`);
    const applied = await editor.edit((edit) => edit.replace(replaced, rest), { undoStopBefore: true, undoStopAfter: true });
    void vscode.commands.executeCommand("editor.action.inlineSuggest.hide");
    return applied;
  }

  /** Sets or clears the `freehold.suggestionRefreshing` context key, on which Tab runs `acceptRefreshing`, for at most `forMs`. */
  private setRefreshingKey(refreshing: Refreshing | undefined, forMs = 2000): void {
    clearTimeout(this.refreshingKeyTimer);
    if (refreshing) this.refreshingKeyTimer = setTimeout(() => this.setRefreshingKey(undefined), forMs);
    const changed = (refreshing === undefined) !== (this.refreshingTab === undefined);
    this.refreshingTab = refreshing;
    if (changed) void vscode.commands.executeCommand("setContext", "freehold.suggestionRefreshing", refreshing !== undefined);
  }

  /** VS Code asking again because a streamed suggestion ended: answered from memory only, never by a model call. */
  private refreshed(document: vscode.TextDocument, position: vscode.Position, at: DocumentPosition, selected: SelectedInEditor | undefined): vscode.InlineCompletionList | undefined {
    const refreshing = this.refreshing!;
    this.refreshing = undefined;
    const cached = this.pipeline.fromCache(at);
    this.debug(`asked again for the whole suggestion: ${cached?.length ? `${cached[0].text.length} characters from memory` : "not in memory"}`);
    if (cached?.length) return this.items(cached, position, selected);
    // A suggestion that replaces characters after the cursor is not kept in memory: it is answered where it was made.
    if (document.offsetAt(position) === refreshing.offset && !selected && refreshing.outcome.items.length) return this.items(refreshing.outcome.items, position);
    // The whole text dropped what was shown: no suggestion here.
    if (document.offsetAt(position) === refreshing.offset && !refreshing.outcome.items.length) return new vscode.InlineCompletionList([]);
    return undefined;
  }

  /** What the user waited for, from VS Code's call to the items (VS Code's own part and rendering come after). */
  private reportShown(totalMs: number, debounceMs: number, delayMs: number, outcome: CompletionOutcome): void {
    const t = outcome.timings;
    const stats = outcome.stats;
    const queueMs = stats ? Math.max(0, t.modelMs - stats.totalMs) : 0;
    // Shown while streaming, the worker's figures are not in yet: the first text's arrival in the host stands in.
    const firstTokenMs = stats?.ttftMs ?? Math.max(0, (outcome.firstTokenMs ?? 0) - t.contextMs - t.promptMs);
    const shown: ShownTimings = {
      totalMs: Math.round(totalMs),
      debounceMs: Math.round(debounceMs),
      contextMs: Math.round(t.contextMs + t.promptMs),
      queueMs: Math.round(queueMs),
      firstTokenMs: Math.round(firstTokenMs),
      restMs: Math.round(Math.max(0, totalMs - debounceMs - t.contextMs - t.promptMs - queueMs - firstTokenMs)),
    };
    this.lastShown = shown;
    this.onShown?.(shown);
    this.debug(`shown after ${shown.totalMs} ms: debounce ${shown.debounceMs} (${Math.round(delayMs)} asked; typing every ${this.debounce.typingIntervalMs ?? "?"} ms), context ${shown.contextMs}, queue ${shown.queueMs}, first token ${shown.firstTokenMs}, rest ${shown.restMs}`);
  }

  private items(candidates: CompletionOutcome["items"], position: vscode.Position, selected?: SelectedInEditor): vscode.InlineCompletionList {
    const items: vscode.InlineCompletionItem[] = [];
    const add = (text: string, replaceChars: number) => {
      if (!selected) {
        items.push(new vscode.InlineCompletionItem(text, new vscode.Range(position, position.translate(0, replaceChars))));
        return;
      }
      // Over the selected item's range: the item's text, then the completion.
      const insert = extendSelectedItem(selected.item, text);
      if (insert !== undefined) items.push(new vscode.InlineCompletionItem(insert, new vscode.Range(selected.range.start, selected.range.end.translate(0, replaceChars))));
    };
    for (const candidate of candidates) {
      add(candidate.text, candidate.replaceChars);
      // A multi-line suggestion offers its first line as an alternative (Alt+] / Alt+[ cycle).
      const firstLine = candidate.text.split("\n")[0];
      if (candidate.text.includes("\n") && firstLine.trim()) add(firstLine, candidate.replaceChars);
    }
    return new vscode.InlineCompletionList(items);
  }

  /** Computes the next suggestion as if this one were accepted, at low priority (llama.vscode's speculative completion). */
  private prefetch(at: DocumentPosition, text: string, replaceChars: number): void {
    if (replaceChars > 0) return;
    this.prefetching?.abort();
    const controller = new AbortController();
    this.prefetching = controller;
    // No version: the editor's version is of the text without the suggestion.
    const next: DocumentPosition = { ...at, text: at.text.slice(0, at.offset) + text + at.text.slice(at.offset), offset: at.offset + text.length, version: undefined };
    this.prefetchedFor = next;
    void this.pipeline
      .complete(next, controller.signal, "prefetch")
      .then((outcome) => this.debug(`prefetched the next suggestion: ${outcome.source}${outcome.reason ? ` (${outcome.reason})` : ""}`))
      .catch(() => undefined)
      .finally(() => {
        if (this.prefetching === controller) this.prefetching = this.prefetchedFor = undefined;
      });
  }
}

/** A streamed suggestion that has ended, while VS Code is asked again for it: the text it was made for and the whole outcome. */
interface Refreshing {
  document: vscode.TextDocument;
  version: number;
  /** Where the suggestion was made. */
  offset: number;
  outcome: CompletionOutcome;
}

/** A suggestion handed to VS Code while it was still streaming. */
interface ShownWhileStreaming {
  document: vscode.TextDocument;
  /** The document's version when the suggestion was asked for. */
  version: number;
  position: vscode.Position;
  selected: boolean;
  early: CompletionOutcome;
}

interface SelectedInEditor {
  item: SelectedItem;
  range: vscode.Range;
}

function selectedItemOf(document: vscode.TextDocument, info: vscode.SelectedCompletionInfo | undefined): SelectedInEditor | undefined {
  if (!info) return undefined;
  return { item: { startOffset: document.offsetAt(info.range.start), endOffset: document.offsetAt(info.range.end), text: info.text }, range: info.range };
}

/**
 * What was typed of a suggestion made at `start`, when the cursor is still within it (on its line, at or after
 * `start`, the text between the two a start of `text`); undefined when the cursor has left it.
 */
function typedInto(document: vscode.TextDocument, start: vscode.Position, cursor: vscode.Position, text: string): string | undefined {
  if (cursor.line !== start.line || cursor.isBefore(start)) return undefined;
  const typed = document.getText(new vscode.Range(start, cursor));
  return text.startsWith(typed) ? typed : undefined;
}

function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
