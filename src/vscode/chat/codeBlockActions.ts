// What the buttons on a code block in a chat answer do: copy, insert at the cursor, apply to the active file
// through the shared diff review (nothing changes until Accept; the accepted change is one undo step).
import * as vscode from "vscode";
import type { EditReview } from "../review/editReview";

/** The editor the chat acts on: the active one, or the visible one when the chat view has the focus. */
function targetEditor(): vscode.TextEditor | undefined {
  const usable = (editor: vscode.TextEditor | undefined) => editor && editor.document.uri.scheme !== "output" && editor.document.uri.scheme !== "freehold-proposed";
  const active = vscode.window.activeTextEditor;
  if (usable(active)) return active;
  return vscode.window.visibleTextEditors.find(usable);
}

export async function copyCode(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage("Freehold: copied", 2000);
}

/**
 * Insert at the cursor. One line goes straight in (one undo step); more than one line is a proposal shown in
 * the diff review like Apply, since a reply's code block can be long and was written by the model.
 */
export async function insertCode(code: string, review: EditReview, log: (line: string) => void): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage("Freehold: open a file to insert the code into.");
    return;
  }
  const text = code.replace(/\n$/, "");
  if (!text.includes("\n")) {
    await editor.edit((builder) => {
      for (const selection of editor.selections) builder.replace(selection, text);
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    return;
  }
  const document = editor.document;
  const range = new vscode.Range(editor.selection.start, editor.selection.end);
  const session = await review.start({ document, range, title: "Freehold: Insert", proposedText: text });
  void session.outcome.then((outcome) => log(`chat insert into ${vscode.workspace.asRelativePath(document.uri)}: ${outcome}`));
}

/** Diff of the active file against the code block (replacing the selection, or the whole file). */
export async function applyCode(review: EditReview, code: string, log: (line: string) => void): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage("Freehold: open the file to apply the code to.");
    return;
  }
  const document = editor.document;
  const selection = editor.selection;
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const range = selection.isEmpty ? whole : new vscode.Range(selection.start, selection.end);
  const current = document.getText(range);
  // A fenced block always ends with a newline; keep the replaced text's own ending.
  const proposedText = current.endsWith("\n") || code === "" ? code : code.replace(/\n$/, "");
  const session = await review.start({ document, range, title: "Freehold: Apply", proposedText });
  void session.outcome.then((outcome) => log(`chat apply to ${vscode.workspace.asRelativePath(document.uri)}: ${outcome}`));
}
