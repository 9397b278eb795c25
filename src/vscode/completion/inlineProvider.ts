// VS Code's side of inline completions: gate, typing-through, debounce, the pipeline, display, prefetch.
import * as vscode from "vscode";
import { AdaptiveDebounce, wait } from "../../completion/debounce";
import { gate } from "../../completion/gate";
import type { CompletionOutcome, CompletionPipeline, DocumentPosition } from "../../completion/pipeline";
import { extendSelectedItem, withSelectedItem, type SelectedItem } from "../../completion/selectedItem";
import { toDocumentPosition } from "./documentPosition";

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

export class InlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private readonly debounce = new AdaptiveDebounce();
  private justAcceptedLine = false;
  private prefetching: AbortController | undefined;
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
  ) {}

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
    const manual = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
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
    const cached = this.pipeline.fromCache(at);
    if (cached?.length) {
      this.debug(`typed through a shown suggestion (no model call; ${this.pipeline.modelCalls} model calls so far)`);
      return this.items(cached, position, selected);
    }

    this.debounce.keystroke(Date.now());
    let debounceMs = 0;
    if (!manual) {
      const delay = this.debounce.delay(position.character >= line.trimEnd().length);
      if (!(await wait(delay, abortSignalOf(token)))) return undefined;
      debounceMs = performance.now() - called;
    }
    if (token.isCancellationRequested) return undefined;

    if (selected) this.debug(`completing beside the suggest widget's item ${JSON.stringify(selected.item.text)}`);
    const outcome = await this.pipeline.complete(at, abortSignalOf(token)).catch((error: unknown) => {
      this.debug(`completion failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (!outcome) return undefined;
    this.lastOutcome = outcome;
    const t = outcome.timings;
    this.debug(
      `${outcome.source === "model" || outcome.stats ? `model call #${this.pipeline.modelCalls}` : outcome.source}${outcome.reason ? ` (${outcome.reason})` : ""}: context ${t.contextMs} ms, prompt ${t.promptMs} ms, model ${t.modelMs} ms, post ${t.postMs} ms, total ${t.totalMs} ms` +
        (outcome.stats
          ? `; prompt ${outcome.stats.promptTokens} tokens (${outcome.stats.reusedTokens} reused, ${outcome.stats.evaluatedTokens} evaluated), ${outcome.stats.generatedTokens} generated, first token ${outcome.stats.ttftMs} ms`
          : ""),
    );
    if (!outcome.items.length || token.isCancellationRequested) return undefined;
    this.reportShown(performance.now() - called, debounceMs, outcome);
    this.prefetch(at, outcome.items[0].text, outcome.items[0].replaceChars);
    return this.items(outcome.items, position, selected);
  }

  /** What the user waited for, from VS Code's call to the items (VS Code's own part and rendering come after). */
  private reportShown(totalMs: number, debounceMs: number, outcome: CompletionOutcome): void {
    const t = outcome.timings;
    const stats = outcome.stats;
    const queueMs = stats ? Math.max(0, t.modelMs - stats.totalMs) : 0;
    const firstTokenMs = stats?.ttftMs ?? 0;
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
    this.debug(`shown after ${shown.totalMs} ms: debounce ${shown.debounceMs}, context ${shown.contextMs}, queue ${shown.queueMs}, first token ${shown.firstTokenMs}, rest ${shown.restMs}`);
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
    void this.pipeline
      .complete(next, controller.signal, "prefetch")
      .then((outcome) => this.debug(`prefetched the next suggestion: ${outcome.source}${outcome.reason ? ` (${outcome.reason})` : ""}`))
      .catch(() => undefined);
  }
}

interface SelectedInEditor {
  item: SelectedItem;
  range: vscode.Range;
}

function selectedItemOf(document: vscode.TextDocument, info: vscode.SelectedCompletionInfo | undefined): SelectedInEditor | undefined {
  if (!info) return undefined;
  return { item: { startOffset: document.offsetAt(info.range.start), endOffset: document.offsetAt(info.range.end), text: info.text }, range: info.range };
}

function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
