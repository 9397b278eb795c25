// Runs a refactor action or a prompt file on an editor's code: builds the prompt, asks the model, and sends the
// answer where it belongs: a streamed diff review (rewrite), the chat view or a read-only answer (chat), or a
// new editor (generated tests).
import * as vscode from "vscode";
import { DEFAULTS } from "../../config/defaults";
import type { ChatRoleEngine } from "../../models/roleEngines";
import { EngineError } from "../../engine/protocol";
import { ACTIONS, buildActionPrompt, formatDiagnostics, type RefactorActionId } from "../../refactor/actionPrompts";
import { cleanNewFile, cleanRewrite } from "../../refactor/cleanOutput";
import { buildCustomPrompt } from "../../refactor/customPrompt";
import { jsFrameworkFromPackageJson, testConventionFor } from "../../refactor/testFiles";
import type { ModelPrompt } from "../../refactor/types";
import type { PromptFile } from "../../refactor/promptFile";
import type { EditReview, ReviewOutcome } from "../review/editReview";
import { diagnosticsIn, toCodeSelection, toDiagnosticInfo, wholeLines } from "./codeSelection";

/** Where a command acts: given by a code action, or else the active editor's selection. */
export interface RefactorTarget {
  readonly uri?: vscode.Uri;
  readonly range?: vscode.Range;
  readonly diagnostic?: vscode.Diagnostic;
  /** The value of {{input}} (and extra instructions of a built-in action) without asking the user. */
  readonly input?: string;
}

/** Exactly what the last refactor command handed to the model ("Show Last Refactor Prompt" and tests read it). */
export interface LastRefactorPrompt {
  readonly title: string;
  /** Undefined when the prompt went to the chat view, which adds its own. */
  readonly system?: string;
  readonly message: string;
  readonly via: "engine" | "chat-view";
  readonly at: Date;
}

/** A started command: its prompt, the model's cleaned output when done, and the review's outcome for rewrites. */
export interface RefactorRun {
  readonly prompt: LastRefactorPrompt;
  readonly generated: Thenable<string | undefined>;
  readonly outcome?: Promise<ReviewOutcome>;
  /** The review's proposed document or the new test file. */
  readonly uri?: vscode.Uri;
}

const CHAT_ASK_COMMAND = "freehold.chat.ask";
const UPDATE_EVERY_MS = 150;

export class RefactorRunner {
  private last: LastRefactorPrompt | undefined;
  private runs = 0;

  constructor(
    private readonly engine: ChatRoleEngine,
    private readonly review: EditReview,
    private readonly log: (line: string) => void,
  ) {}

  get lastPrompt(): LastRefactorPrompt | undefined {
    return this.last;
  }

  async runAction(action: RefactorActionId, target: RefactorTarget = {}): Promise<RefactorRun | undefined> {
    const info = ACTIONS[action];
    return this.guard(info.title, async () => {
      const located = await this.locate(target);
      if (!located) return undefined;
      const { document, selection } = located;
      let range: vscode.Range;
      if (action === "fix" && target.diagnostic && !target.range) range = wholeLines(document, target.diagnostic.range);
      else if (selection.isEmpty && info.mode !== "rewrite") range = fullDocument(document);
      else range = wholeLines(document, selection);
      const diagnostics = target.diagnostic ? [target.diagnostic] : action === "fix" ? diagnosticsIn(document, range) : [];
      const testFramework = action === "tests" ? testConventionFor(document.uri.fsPath, document.languageId, await this.testFramework(document)).framework : undefined;
      const prompt = buildActionPrompt(action, {
        selection: toCodeSelection(document, range),
        diagnostics: diagnostics.map(toDiagnosticInfo),
        instructions: target.input,
        testFramework,
      });
      if (info.mode === "rewrite") return this.rewrite(document, range, prompt, info.title);
      if (info.mode === "chat") return this.answer(prompt, `${info.title}: ${toCodeSelection(document, range).file}`);
      return this.newTestFile(document, prompt, testFramework);
    });
  }

  async runPromptFile(prompt: PromptFile, target: RefactorTarget = {}): Promise<RefactorRun | undefined> {
    return this.guard(prompt.title, async () => {
      const located = await this.locate(target);
      if (!located) return undefined;
      const { document, selection } = located;
      const range = selection.isEmpty && prompt.mode === "chat" ? fullDocument(document) : wholeLines(document, selection);
      let input = target.input;
      if (prompt.variables.includes("input") && input === undefined) {
        input = await vscode.window.showInputBox({ title: `Freehold: ${prompt.title}`, prompt: prompt.description, ignoreFocusOut: true });
        if (input === undefined) return undefined;
      }
      const code = toCodeSelection(document, range);
      const modelPrompt = buildCustomPrompt(prompt, {
        selection: code.text,
        language: code.languageId,
        file: code.file,
        diagnostics: formatDiagnostics(diagnosticsIn(document, range).map(toDiagnosticInfo)),
        input: input ?? "",
        content: document.getText(),
      });
      if (prompt.mode === "rewrite") return this.rewrite(document, range, modelPrompt, prompt.title);
      return this.answer(modelPrompt, prompt.title);
    });
  }

  private async locate(target: RefactorTarget): Promise<{ document: vscode.TextDocument; selection: vscode.Range } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (target.uri && editor?.document.uri.toString() !== target.uri.toString()) {
      const document = await vscode.workspace.openTextDocument(target.uri);
      return { document, selection: target.range ?? new vscode.Range(0, 0, 0, 0) };
    }
    if (!editor) {
      void vscode.window.showInformationMessage("Freehold: open a file and select some code first.");
      return undefined;
    }
    return { document: editor.document, selection: target.range ?? editor.selection };
  }

  /** Streams the model's rewrite into a diff review; the file changes only if the user accepts. */
  private async rewrite(document: vscode.TextDocument, range: vscode.Range, prompt: ModelPrompt, title: string): Promise<RefactorRun> {
    await this.engine.ensureModel();
    const original = document.getText(range);
    const session = await this.review.start({ document, range, title: `Freehold: ${title}`, streaming: true });
    const controller = new AbortController();
    void session.outcome.then(() => controller.abort());
    const record = this.record(title, prompt, "engine");
    let reply = "";
    const updates = new Throttle(UPDATE_EVERY_MS, () => session.update(cleanRewrite(reply, original)));
    const generated = vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Freehold: ${title}…` }, async () => {
      try {
        const text = await this.generate(prompt, maxTokensFor(original), controller.signal, (partial) => {
          reply = partial;
          updates.request();
        });
        updates.cancel();
        const code = cleanRewrite(text, original);
        session.update(code);
        session.finish();
        this.log(`refactor: ${title} proposed ${code.length} characters for ${document.fileName}`);
        return code;
      } catch (error) {
        updates.cancel();
        if (controller.signal.aborted) return undefined; // rejected, or the reviewed text was edited
        session.cancel();
        this.showError(title, error);
        return undefined;
      }
    });
    return { prompt: record, generated, outcome: session.outcome, uri: session.uri };
  }

  /** Chat-mode answers (Explain, `mode: chat` prompts) stream in the chat view, which adds its own system prompt. */
  private async answer(prompt: ModelPrompt, title: string): Promise<RefactorRun> {
    const record = this.record(title, { system: "", message: prompt.message }, "chat-view");
    await vscode.commands.executeCommand(CHAT_ASK_COMMAND, { prompt: prompt.message, title });
    return { prompt: record, generated: Promise.resolve(undefined) };
  }

  /** Generated tests open in a new editor: the conventional test file (unsaved) when it does not exist yet. */
  private async newTestFile(document: vscode.TextDocument, prompt: ModelPrompt, framework: string | undefined): Promise<RefactorRun> {
    await this.engine.ensureModel();
    const record = this.record("Generate Tests", prompt, "engine");
    const convention = testConventionFor(document.uri.fsPath, document.languageId, framework);
    let target: vscode.Uri | undefined;
    if (convention.path && document.uri.scheme === "file" && !(await exists(vscode.Uri.file(convention.path)))) {
      target = vscode.Uri.file(convention.path).with({ scheme: "untitled" });
    }
    const generated = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "Freehold: writing tests…", cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        try {
          const code = cleanNewFile(await this.generate(prompt, DEFAULTS.chat.maxTokens, controller.signal, () => undefined));
          const file = target ? await vscode.workspace.openTextDocument(target) : await vscode.workspace.openTextDocument({ content: code, language: document.languageId });
          if (target) {
            const edit = new vscode.WorkspaceEdit();
            edit.insert(file.uri, new vscode.Position(0, 0), code);
            await vscode.workspace.applyEdit(edit);
          }
          await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.Beside, preview: false });
          return code;
        } catch (error) {
          if (!controller.signal.aborted) this.showError("Generate Tests", error);
          return undefined;
        }
      },
    );
    return { prompt: record, generated, uri: target };
  }

  private async generate(prompt: ModelPrompt, maxTokens: number, signal: AbortSignal | undefined, onText: (reply: string) => void): Promise<string> {
    let reply = "";
    const result = await this.engine.chat(
      {
        // Its own conversation each time: a refactor is one question, not a turn of the chat view's conversation.
        conversationId: `freehold-refactor-${++this.runs}`,
        history: [],
        message: prompt.message,
        systemPrompt: prompt.system,
        maxTokens,
        timeLimitMs: DEFAULTS.chat.timeLimitMs,
      },
      {
        signal,
        onEvent: (event) => {
          reply += event.text;
          onText(reply);
        },
      },
    );
    const { stats } = result;
    this.log(`refactor: ${stats.promptTokens} prompt tokens (${stats.evaluatedTokens} evaluated), ${stats.generatedTokens} generated, first token ${stats.ttftMs} ms, total ${stats.totalMs} ms, stop: ${result.stopReason}`);
    return result.text;
  }

  private record(title: string, prompt: ModelPrompt, via: LastRefactorPrompt["via"]): LastRefactorPrompt {
    this.last = { title, system: via === "engine" ? prompt.system : undefined, message: prompt.message, via, at: new Date() };
    return this.last;
  }

  private async testFramework(document: vscode.TextDocument): Promise<string | undefined> {
    if (!/^(type|java)script(react)?$/.test(document.languageId)) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, "package.json"));
      return jsFrameworkFromPackageJson(new TextDecoder().decode(bytes));
    } catch {
      return undefined;
    }
  }

  /** Runs a command body; failures become one message instead of an unhandled rejection. */
  private async guard<T>(title: string, body: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await body();
    } catch (error) {
      this.showError(title, error);
      return undefined;
    }
  }

  private showError(title: string, error: unknown): void {
    this.log(`refactor: ${title} failed: ${messageOf(error)}`);
    if (error instanceof EngineError && error.code === "no-model") {
      // Refactors are the chat model's: choosing one is enough for them.
      void vscode.window.showWarningMessage(`Freehold: ${error.message}`, "Choose Chat Model…", "Open Settings").then((choice) => {
        if (choice === "Choose Chat Model…") void vscode.commands.executeCommand("freehold.selectChatModel");
        else if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", "freehold.chat.model");
      });
      return;
    }
    void vscode.window.showErrorMessage(`Freehold: ${title} failed: ${messageOf(error)}`);
  }
}

/** Room for a rewrite about twice the original's size (about 3 characters a token), within sensible bounds. */
function maxTokensFor(original: string): number {
  return Math.min(DEFAULTS.chat.maxTokens, Math.max(128, Math.ceil((original.length / 3) * 2) + 64));
}

function fullDocument(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `action` at most once per interval while requests keep coming, and once more after the last. */
class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly action: () => void,
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.last = Date.now();
      this.action();
    }, wait);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
