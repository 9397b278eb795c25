// A keystroke as the integration suites make it: text typed at the end of a new document's last line, the cursor
// after it, and Freehold's inline provider asked as VS Code asks it on typing. (In a folder of its own: every
// test/suite/*.ts is bundled as a suite entry.)
import * as vscode from "vscode";
import type { FreeholdApi } from "../../../src/extension";

export interface Keystroke {
  document: vscode.TextDocument;
  /** The cursor after the typed text. */
  position: vscode.Position;
  items: vscode.InlineCompletionItem[];
}

export async function typeAtEndAndAsk(api: FreeholdApi, content: string, typed: string): Promise<Keystroke> {
  const document = await vscode.workspace.openTextDocument({ language: "typescript", content });
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((edit) => edit.insert(document.lineAt(document.lineCount - 1).range.end, typed));
  const position = document.lineAt(document.lineCount - 1).range.end;
  return askAt(api, editor, position);
}

/** The cursor put at `position` in `editor`, and Freehold's inline provider asked there as VS Code asks it on typing. */
export async function askAt(api: FreeholdApi, editor: vscode.TextEditor, position: vscode.Position): Promise<Keystroke> {
  editor.selection = new vscode.Selection(position, position);
  const source = new vscode.CancellationTokenSource();
  const list = await api.completions.provider.provideInlineCompletionItems(
    editor.document,
    position,
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
    source.token,
  );
  return { document: editor.document, position, items: list ? [...list.items] : [] };
}
