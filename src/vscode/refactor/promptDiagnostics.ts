// Problems of `.prompt` files (broken header, unknown variable) as diagnostics with their line: for open
// documents as they are typed, and for the files the prompt library reads from disk.
import * as vscode from "vscode";
import { parsePromptFile, type PromptProblem } from "../../refactor/promptFile";

export const PROMPT_LANGUAGE_ID = "freehold-prompt";

export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("freehold-prompts");
  private readonly disposables: vscode.Disposable[] = [];
  private readonly files = new Set<string>();

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.check(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (isPromptDocument(document) && !this.files.has(document.uri.toString())) this.collection.delete(document.uri);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  /** The problems of a document, as they would be reported. */
  problems(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  check(document: vscode.TextDocument): void {
    if (!isPromptDocument(document)) return;
    this.report(document.uri, parsePromptFile(document.getText()).problems);
  }

  /** Problems of a prompt file read from disk (kept until the file is gone). */
  reportFile(uri: vscode.Uri, problems: readonly PromptProblem[]): void {
    this.files.add(uri.toString());
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) this.check(open);
    else this.report(uri, problems);
  }

  /** Drops the diagnostics of files on disk that were not read this time (deleted, or no longer loaded). */
  forgetFilesExcept(current: ReadonlyMap<string, vscode.Uri>): void {
    for (const key of [...this.files]) {
      if (current.has(key)) continue;
      this.files.delete(key);
      const uri = vscode.Uri.parse(key);
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.collection.delete(uri);
    }
  }

  private report(uri: vscode.Uri, problems: readonly PromptProblem[]): void {
    this.collection.set(
      uri,
      problems.map((p) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(p.line, p.startCharacter, p.line, p.endCharacter), p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = "Freehold prompt";
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function isPromptDocument(document: vscode.TextDocument): boolean {
  return document.languageId === PROMPT_LANGUAGE_ID || (document.uri.scheme === "file" && document.uri.path.endsWith(".prompt"));
}
