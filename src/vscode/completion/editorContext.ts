// The tree-sitter context engine fed by the editor: open documents served before the disk, incremental
// trees from content changes, and a ring of recently edited and viewed chunks. Each document is keyed by its
// uri and resolves imports against its own workspace folder (multi-root workspaces).
import * as vscode from "vscode";
import { DEFAULTS } from "../../config/defaults";
import type { ContextSource, DocumentPosition } from "../../completion/pipeline";
import { plainContext } from "../../completion/plainContext";
import { treeSitterContext } from "../../completion/treeSitterContext";
import { ContextBuilder } from "../../context/buildContext";
import { containedPath, isWorkspaceRelative } from "../../context/containment";
import type { WorkspaceFiles } from "../../context/imports";
import { Parsers } from "../../context/parsers";
import { RecentChunks } from "../../context/recentChunks";
import type { OpenDocument } from "../../context/types";
import { workspaceRelativePath } from "../../platform/paths";

function workspaceRelative(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== "file") return undefined;
  return workspaceRelativePath(folder.uri.fsPath, uri.fsPath);
}

/** The workspace file `relative` names, or undefined when it leaves the folder (`..`, absolute, a link out). */
async function containedUri(base: vscode.Uri, relative: string): Promise<vscode.Uri | undefined> {
  if (!isWorkspaceRelative(relative)) return undefined;
  const uri = vscode.Uri.joinPath(base, relative);
  if (base.scheme !== "file") return uri;
  return (await containedPath(base.fsPath, relative)) ? uri : undefined;
}

/** The files of one workspace folder, open documents served from memory; nothing outside the folder. */
function folderFiles(folder: vscode.WorkspaceFolder): WorkspaceFiles {
  const base = folder.uri;
  return {
    root: base.toString(),
    async read(relative) {
      const uri = await containedUri(base, relative);
      if (!uri) return undefined;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) return open.getText();
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type !== vscode.FileType.File || stat.size > DEFAULTS.context.maxFileBytes) return undefined;
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    },
    async list(relative) {
      const uri = await containedUri(base, relative);
      if (!uri) return [];
      try {
        const entries = await vscode.workspace.fs.readDirectory(uri);
        return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => `${relative}/${name}`);
      } catch {
        return [];
      }
    },
  };
}

export class EditorContext implements vscode.Disposable {
  readonly recent = new RecentChunks(DEFAULTS.context.recentChunks);
  private builder: ContextBuilder | undefined;
  private loading: Promise<ContextBuilder | undefined> | undefined;
  private readonly files = new Map<string, WorkspaceFiles>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly wasmDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.builder?.forget(document.uri.toString())),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.files.clear()),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => this.onView(event.textEditor)),
    );
  }

  source(): ContextSource {
    return {
      build: async (position, multiline, tokenScale, budget) => {
        const builder = await this.ready();
        if (!builder) return plainContext(position, multiline);
        return treeSitterContext({ builder, files: (p) => this.filesOf(p), openDocuments: (p) => this.openDocuments(p), recent: this.recent }).build(position, multiline, tokenScale, budget);
      },
    };
  }

  /** The files of the position's own workspace folder (none for a document outside every folder). */
  private filesOf(position: DocumentPosition): WorkspaceFiles | undefined {
    let folder: vscode.WorkspaceFolder | undefined;
    try {
      folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(position.key));
    } catch {
      folder = undefined;
    }
    if (!folder) return undefined;
    const id = folder.uri.toString();
    let files = this.files.get(id);
    if (!files) this.files.set(id, (files = folderFiles(folder)));
    return files;
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

  /** Other open documents of the position's workspace folder, by their path in it. */
  private openDocuments(position: DocumentPosition): OpenDocument[] {
    let folder: vscode.WorkspaceFolder | undefined;
    try {
      folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(position.key));
    } catch {
      folder = undefined;
    }
    return vscode.window.visibleTextEditors
      .map((e) => e.document)
      .concat(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === "file"))
      .filter((d, i, all) => all.indexOf(d) === i && d.uri.toString() !== position.key)
      .filter((d) => vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === folder?.uri.toString())
      .slice(0, 12)
      .map((d) => ({ path: workspaceRelative(d.uri) ?? d.uri.toString(), languageId: d.languageId, text: d.getText() }));
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    // Changes come with ranges in the document before each change, in order: that is what tree.edit wants.
    this.builder?.edit(
      event.document.uri.toString(),
      [...event.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset).map((c) => ({ startOffset: c.rangeOffset, oldEndOffset: c.rangeOffset + c.rangeLength, newText: c.text, start: { row: c.range.start.line, column: c.range.start.character } })),
      event.document.version,
    );
    const relative = workspaceRelative(event.document.uri);
    if (!relative) return;
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
