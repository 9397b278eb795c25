// Read-only Markdown documents that show a streamed answer (Explain, chat-mode prompt files) when the chat
// view's `freehold.chat.ask` command is not available.
import * as vscode from "vscode";

export class AnswerDocuments implements vscode.Disposable {
  static readonly scheme = "freehold-answer";
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  private nextId = 1;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(AnswerDocuments.scheme, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? "",
    });
  }

  /** Opens a new answer document beside the editor; returns a function that replaces its text. */
  async open(title: string, text: string): Promise<{ uri: vscode.Uri; set(text: string): void }> {
    const name = title.replace(/[\\/:*?"<>|]+/g, " ").trim() || "Answer";
    const uri = vscode.Uri.from({ scheme: AnswerDocuments.scheme, path: `/${name}.md`, query: `answer=${this.nextId++}` });
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
    return {
      uri,
      set: (next) => {
        this.texts.set(uri.toString(), next);
        this.changed.fire(uri);
      },
    };
  }

  /** The text shown for an answer (tests read it). */
  text(uri: vscode.Uri): string | undefined {
    return this.texts.get(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
