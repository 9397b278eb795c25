// The tree-sitter context engine fed by the editor: open documents served before the disk, incremental
// trees from content changes, and a ring of recently edited and viewed chunks.
import * as vscode from "vscode";
import type { ContextSource } from "../../completion/pipeline";
import { plainContext } from "../../completion/plainContext";
import { treeSitterContext } from "../../completion/treeSitterContext";
import { ContextBuilder, type OpenDocument } from "../../context/buildContext";
import type { WorkspaceFiles } from "../../context/imports";
import { Parsers } from "../../context/parsers";
import { RecentChunks } from "../../context/recentChunks";
import { workspaceRelativePath } from "../../platform/paths";

const MAX_FILE_BYTES = 1024 * 1024;

function workspaceRelative(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== "file") return undefined;
  return workspaceRelativePath(folder.uri.fsPath, uri.fsPath);
}

function editorFiles(): WorkspaceFiles {
  const root = () => vscode.workspace.workspaceFolders?.[0]?.uri;
  return {
    async read(relative) {
      const base = root();
      if (!base) return undefined;
      const uri = vscode.Uri.joinPath(base, relative);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) return open.getText();
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type !== vscode.FileType.File || stat.size > MAX_FILE_BYTES) return undefined;
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    },
    async list(relative) {
      const base = root();
      if (!base) return [];
      try {
        const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(base, relative));
        return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => `${relative}/${name}`);
      } catch {
        return [];
      }
    },
  };
}

export class EditorContext implements vscode.Disposable {
  readonly recent = new RecentChunks(16);
  private builder: ContextBuilder | undefined;
  private loading: Promise<ContextBuilder | undefined> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly wasmDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.builder?.trees.forget(workspaceRelative(document.uri) ?? document.uri.toString())),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => this.onView(event.textEditor)),
    );
  }

  source(): ContextSource {
    return {
      build: async (position, multiline, tokenScale) => {
        const builder = await this.ready();
        if (!builder) return plainContext(position, multiline);
        return treeSitterContext({ builder, files: editorFiles(), openDocuments: () => this.openDocuments(position.relativePath), recent: this.recent }).build(position, multiline, tokenScale);
      },
    };
  }

  private ready(): Promise<ContextBuilder | undefined> {
    this.loading ??= Parsers.create(this.wasmDir).then(
      (parsers) => (this.builder = new ContextBuilder(parsers)),
      (error: unknown) => {
        this.log(`tree-sitter unavailable, using plain-text context: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      },
    );
    return this.loading;
  }

  private openDocuments(current: string): OpenDocument[] {
    return vscode.window.visibleTextEditors
      .map((e) => e.document)
      .concat(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === "file"))
      .filter((d, i, all) => all.indexOf(d) === i)
      .slice(0, 12)
      .map((d) => ({ path: workspaceRelative(d.uri) ?? d.uri.toString(), languageId: d.languageId, text: d.getText() }))
      .filter((d) => d.path !== current);
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const relative = workspaceRelative(event.document.uri);
    if (!relative || event.contentChanges.length === 0) return;
    // Changes come with ranges in the document before each change, in order: that is what tree.edit wants.
    this.builder?.trees.edit(
      relative,
      [...event.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset).map((c) => ({ startOffset: c.rangeOffset, oldEndOffset: c.rangeOffset + c.rangeLength, newText: c.text })),
    );
    const line = event.contentChanges[0].range.start.line;
    const start = Math.max(0, line - 4);
    const end = Math.min(event.document.lineCount - 1, line + 4);
    this.recent.add({ path: relative, startLine: start + 1, endLine: end + 1, text: event.document.getText(new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER)), kind: "recent-edit" });
  }

  private onView(editor: vscode.TextEditor): void {
    const relative = workspaceRelative(editor.document.uri);
    const range = editor.visibleRanges[0];
    if (!relative || !range) return;
    const middle = Math.floor((range.start.line + range.end.line) / 2);
    const start = Math.max(0, middle - 6);
    const end = Math.min(editor.document.lineCount - 1, middle + 6);
    this.recent.add({ path: relative, startLine: start + 1, endLine: end + 1, text: editor.document.getText(new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER)), kind: "recent-view" });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
