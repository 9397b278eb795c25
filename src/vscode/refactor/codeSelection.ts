// Converts what the editor has (document, selection, diagnostics) into the refactor modules' plain types.
import * as vscode from "vscode";
import type { CodeSelection, DiagnosticInfo, DiagnosticSeverityName } from "../../refactor/types";

/**
 * The range a rewrite replaces: the selection widened to whole lines (so indentation is kept whole), without a
 * last line the selection only reaches at column 0. An empty selection is its line.
 */
export function wholeLines(document: vscode.TextDocument, selection: vscode.Range): vscode.Range {
  let endLine = selection.end.line;
  if (!selection.isEmpty && selection.end.character === 0 && endLine > selection.start.line) endLine--;
  return new vscode.Range(selection.start.line, 0, endLine, document.lineAt(endLine).text.length);
}

export function relativePath(uri: vscode.Uri): string {
  return uri.scheme === "file" ? vscode.workspace.asRelativePath(uri, false) : uri.path.split("/").pop() || uri.toString();
}

export function toCodeSelection(document: vscode.TextDocument, range: vscode.Range): CodeSelection {
  return {
    languageId: document.languageId,
    file: relativePath(document.uri),
    text: document.getText(range),
    startLine: range.start.line,
    endLine: range.end.line,
  };
}

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticSeverityName> = {
  [vscode.DiagnosticSeverity.Error]: "error",
  [vscode.DiagnosticSeverity.Warning]: "warning",
  [vscode.DiagnosticSeverity.Information]: "info",
  [vscode.DiagnosticSeverity.Hint]: "hint",
};

export function toDiagnosticInfo(diagnostic: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;
  return {
    message: diagnostic.message,
    severity: SEVERITY[diagnostic.severity],
    startLine: diagnostic.range.start.line,
    startCharacter: diagnostic.range.start.character,
    endLine: diagnostic.range.end.line,
    endCharacter: diagnostic.range.end.character,
    source: diagnostic.source,
    code: code === undefined ? undefined : String(code),
  };
}

/** Diagnostics of the document that overlap the range, errors first. */
export function diagnosticsIn(document: vscode.TextDocument, range: vscode.Range): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.range.intersection(range) !== undefined)
    .sort((a, b) => a.severity - b.severity);
}
