// Warm ahead (DESIGN §2 step 10): when an editor is focused, a file opened or the cursor jumps far, bring the
// stable part of the next prompt into the KV cache at the lowest priority, so the first keystroke there is
// not a cold prompt. The pipeline applies the typing gate (disabled, language off, file too large).
import * as vscode from "vscode";
import type { CompletionPipeline } from "../../completion/pipeline";
import { toDocumentPosition } from "./documentPosition";

/** A cursor move of more lines than this leaves the prompt's prefix window: warm the new place. */
export const FAR_JUMP_LINES = 40;
const JUMP_SETTLE_MS = 300;

export class WarmAhead implements vscode.Disposable {
  private controller: AbortController | undefined;
  private lastWarmed: { uri: string; line: number } | undefined;
  private jumpTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];

  /** `leavePlace` is told when the user arrives at a new place (the inline provider stops the work for the old one). */
  constructor(
    private readonly pipeline: CompletionPipeline,
    private readonly modelReady: () => boolean,
    private readonly debug: (line: string) => void,
    private readonly leavePlace: (why: string) => void = () => undefined,
  ) {
    this.disposables = [
      vscode.window.onDidChangeActiveTextEditor((editor) => this.arrive(editor, "focused")),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelection(event)),
    ];
  }

  /** Warms `editor` at its cursor now (also used when the model has just loaded). */
  warm(editor: vscode.TextEditor | undefined, why: string): void {
    if (!this.warmable(editor)) return;
    if (this.jumpTimer) clearTimeout(this.jumpTimer);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const at = editor.selection.active;
    this.lastWarmed = { uri: editor.document.uri.toString(), line: at.line };
    const started = performance.now();
    void this.pipeline
      .warm(toDocumentPosition(editor.document, at), controller.signal)
      .then((stats) => stats && this.debug(`warmed ${editor.document.fileName} (${why}): ${stats.evaluatedTokens} tokens evaluated, ${stats.reusedTokens} reused in ${Math.round(performance.now() - started)} ms`))
      .catch(() => undefined);
  }

  private onSelection(event: vscode.TextEditorSelectionChangeEvent): void {
    if (event.textEditor !== vscode.window.activeTextEditor) return;
    // Typing moves the cursor a line at a time; a jump (mouse, go to line or definition, search, Ctrl+End) moves it far.
    const line = event.selections[0]?.active.line ?? 0;
    const last = this.lastWarmed;
    if (last && last.uri === event.textEditor.document.uri.toString() && Math.abs(last.line - line) <= FAR_JUMP_LINES) return;
    if (this.jumpTimer) clearTimeout(this.jumpTimer);
    this.jumpTimer = setTimeout(() => this.arrive(vscode.window.activeTextEditor, "far jump"), JUMP_SETTLE_MS);
  }

  /** The user is at a new place (another editor, a far jump): the last place's work stops and this one is warmed. */
  private arrive(editor: vscode.TextEditor | undefined, why: string): void {
    if (!this.warmable(editor)) return;
    this.leavePlace(why);
    this.warm(editor, why);
  }

  private warmable(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
    return editor !== undefined && this.modelReady() && editor.document.uri.scheme !== "output";
  }

  dispose(): void {
    if (this.jumpTimer) clearTimeout(this.jumpTimer);
    this.controller?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
