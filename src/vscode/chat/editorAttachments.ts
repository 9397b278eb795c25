// The context chips of the chat view: the current editor selection (attached automatically, removable) and
// files picked with "@". Texts are read when the message is sent, so a chip always sends what is there now.
import * as vscode from "vscode";
import type { Attachment } from "../../chat/types";
import { attachmentLabel } from "../../chat/types";
import type { ChipView } from "../../webview/messages";

const MAX_FILE_BYTES = 512 * 1024;

interface SelectionChip {
  uri: vscode.Uri;
  range: vscode.Range;
  key: string;
}

export class EditorAttachments implements vscode.Disposable {
  private selection: SelectionChip | undefined;
  /** The selection the user removed: it stays off until the selection changes. */
  private dismissedKey: string | undefined;
  private files: vscode.Uri[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly onChange: (chips: ChipView[]) => void) {
    this.disposables = [
      vscode.window.onDidChangeTextEditorSelection((event) => this.schedule(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.schedule(editor)),
    ];
    this.track(vscode.window.activeTextEditor);
  }

  chips(): ChipView[] {
    const chips: ChipView[] = [];
    if (this.selection) {
      const { uri, range } = this.selection;
      chips.push({ id: "selection", kind: "selection", label: attachmentLabel({ id: "", kind: "selection", path: relative(uri), startLine: range.start.line + 1, endLine: lastLine(range) + 1, text: "" }) });
    }
    this.files.forEach((uri, i) => chips.push({ id: `file:${i}`, kind: "file", label: relative(uri) }));
    return chips;
  }

  remove(id: string): void {
    if (id === "selection" && this.selection) {
      this.dismissedKey = this.selection.key;
      this.selection = undefined;
    } else if (id.startsWith("file:")) {
      this.files.splice(Number(id.slice(5)), 1);
    }
    this.onChange(this.chips());
  }

  async pickFile(): Promise<void> {
    const found = await vscode.workspace.findFiles("**/*", "{**/node_modules/**,**/.git/**}", 5000);
    const items = found
      .map((uri) => ({ label: relative(uri).split("/").pop() ?? "", description: relative(uri), uri }))
      .sort((a, b) => a.description.localeCompare(b.description));
    const picked = await vscode.window.showQuickPick(items, { title: "Freehold: attach a file to the chat", placeHolder: "File to attach", matchOnDescription: true });
    if (!picked || this.files.some((uri) => uri.toString() === picked.uri.toString())) return;
    this.files.push(picked.uri);
    this.onChange(this.chips());
  }

  /** The attachments' current texts; files are cleared after a send, the selection stays while it is selected. */
  async take(): Promise<Attachment[]> {
    const attachments: Attachment[] = [];
    if (this.selection) {
      const { uri, range } = this.selection;
      const document = await vscode.workspace.openTextDocument(uri);
      attachments.push({
        id: "selection",
        kind: "selection",
        path: relative(uri),
        startLine: range.start.line + 1,
        endLine: lastLine(range) + 1,
        language: document.languageId,
        text: document.getText(range),
      });
    }
    for (const uri of this.files) {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        void vscode.window.showWarningMessage(`Freehold: ${relative(uri)} is larger than ${MAX_FILE_BYTES / 1024} KB and was not attached.`);
        continue;
      }
      const document = await vscode.workspace.openTextDocument(uri);
      attachments.push({ id: uri.toString(), kind: "file", path: relative(uri), language: document.languageId, text: document.getText() });
    }
    this.files = [];
    this.onChange(this.chips());
    return attachments;
  }

  private schedule(editor: vscode.TextEditor): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.track(editor), 150);
  }

  private track(editor: vscode.TextEditor | undefined): void {
    if (!editor || !["file", "untitled", "vscode-remote"].includes(editor.document.uri.scheme)) return;
    const range = editor.selection;
    const before = this.selection?.key;
    if (range.isEmpty) {
      this.selection = undefined;
      this.dismissedKey = undefined;
    } else {
      const key = `${editor.document.uri.toString()}#${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
      this.selection = key === this.dismissedKey ? undefined : { uri: editor.document.uri, range: new vscode.Range(range.start, range.end), key };
    }
    if (this.selection?.key !== before) this.onChange(this.chips());
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** A selection ending at column 0 of a line does not include that line. */
function lastLine(range: vscode.Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}
