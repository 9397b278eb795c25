// Custom commands from `.prompt` files: `.freehold/prompts/` of each workspace folder (only when the workspace
// is trusted) and the user's folder (`freehold.prompts.userFolder`, else the extension's global storage).
// Each valid file becomes a command `freehold.prompt.<workspace|user>.<name>`, listed by "Freehold: Run Prompt…";
// files are watched and reloaded on change; broken headers are reported as diagnostics.
import { posix } from "node:path";
import * as vscode from "vscode";
import { caseInsensitiveFileSystem, isInsideFolder } from "../../platform/paths";
import { parsePromptFile, promptAppliesTo, promptSlug, type PromptFile } from "../../refactor/promptFile";
import type { PromptDiagnostics } from "./promptDiagnostics";
import { promptFolders, userPromptFolder, WORKSPACE_PROMPTS_FOLDER, type PromptSource } from "./promptFolders";

export { WORKSPACE_PROMPTS_FOLDER, type PromptSource } from "./promptFolders";

export interface LoadedPrompt {
  /** The command that runs it. */
  readonly command: string;
  readonly source: PromptSource;
  readonly uri: vscode.Uri;
  readonly prompt: PromptFile;
}

const RELOAD_DELAY_MS = 100;

export class PromptLibrary implements vscode.Disposable {
  private loaded: LoadedPrompt[] = [];
  private commands: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<readonly LoadedPrompt[]>();
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  /** Fires after each reload with the prompts now loaded. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly diagnostics: PromptDiagnostics,
    private readonly run: (prompt: LoadedPrompt, args: unknown) => Promise<unknown>,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()),
      // Saves from the editor reload at once, without waiting for the file watcher's event.
      vscode.workspace.onDidSaveTextDocument((document) => {
        // Case-insensitive on Windows and macOS: the drive letter or a folder may be spelt differently.
        const inside = (folder: vscode.Uri) => isInsideFolder(folder.path, document.uri.path, { path: posix, caseInsensitive: caseInsensitiveFileSystem(process.platform) });
        if (document.uri.path.endsWith(".prompt") && this.folders().some((f) => inside(f.uri))) this.scheduleReload();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("freehold.prompts")) this.restart();
      }),
    );
    this.restart();
  }

  get prompts(): readonly LoadedPrompt[] {
    return this.loaded;
  }

  /** Resolves when the reload in progress (if any) is done. */
  get ready(): Promise<void> {
    return this.reloading;
  }

  /** The user's prompt folder. */
  userFolder(): vscode.Uri {
    return userPromptFolder(this.globalStorage);
  }

  /** The folders prompts are read from, with their source; workspace folders only in a trusted workspace. */
  folders(): { uri: vscode.Uri; source: PromptSource }[] {
    return promptFolders(this.globalStorage);
  }

  /** The prompts that apply to a document of this language. */
  forLanguage(languageId: string): LoadedPrompt[] {
    return this.loaded.filter((p) => promptAppliesTo(p.prompt, languageId));
  }

  /** Rewatches the folders and reloads. */
  private restart(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    const workspaceFolders = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []) : [];
    // Workspace prompts through the workspace's own watcher (it sees the folder appear later); the user folder is
    // outside the workspace and needs to exist to be watched.
    const patterns = [
      // The whole .freehold tree: a folder created together with its files may be reported as the folder alone.
      ...workspaceFolders.map((folder) => new vscode.RelativePattern(folder, `${WORKSPACE_PROMPTS_FOLDER.split("/")[0]}/**`)),
      new vscode.RelativePattern(this.userFolder(), "*.prompt"),
    ];
    void Promise.resolve(vscode.workspace.fs.createDirectory(this.userFolder())).catch(() => undefined);
    for (const pattern of patterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const schedule = () => this.scheduleReload();
      this.watchers.push(watcher, watcher.onDidCreate(schedule), watcher.onDidChange(schedule), watcher.onDidDelete(schedule));
    }
    this.scheduleReload(0);
  }

  private scheduleReload(delay = RELOAD_DELAY_MS): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.reloading = this.reloading.then(() => this.reload()).catch((error: unknown) => this.log(`prompts: reload failed: ${String(error)}`));
    }, delay);
  }

  private async reload(): Promise<void> {
    const found: LoadedPrompt[] = [];
    const problemsOnDisk = new Map<string, vscode.Uri>();
    for (const folder of this.folders()) {
      let entries: [string, vscode.FileType][] = [];
      try {
        entries = await vscode.workspace.fs.readDirectory(folder.uri);
      } catch {
        continue; // no such folder
      }
      for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
        if (type !== vscode.FileType.File || !name.endsWith(".prompt")) continue;
        const uri = vscode.Uri.joinPath(folder.uri, name);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const parsed = parsePromptFile(text);
        this.diagnostics.reportFile(uri, parsed.problems);
        problemsOnDisk.set(uri.toString(), uri);
        if (!parsed.prompt) {
          this.log(`prompts: ${uri.fsPath} not loaded: ${parsed.problems.map((p) => `line ${p.line + 1}: ${p.message}`).join("; ")}`);
          continue;
        }
        let command = `freehold.prompt.${folder.source}.${promptSlug(name)}`;
        for (let n = 2; found.some((p) => p.command === command); n++) command = `freehold.prompt.${folder.source}.${promptSlug(name)}-${n}`;
        found.push({ command, source: folder.source, uri, prompt: parsed.prompt });
      }
    }
    this.diagnostics.forgetFilesExcept(problemsOnDisk);
    for (const disposable of this.commands) disposable.dispose();
    this.commands = found.map((entry) => vscode.commands.registerCommand(entry.command, (args?: unknown) => this.run(entry, args)));
    this.loaded = found;
    this.log(`prompts: ${found.length} loaded (${this.folders().map((f) => f.uri.fsPath).join(", ")})`);
    this.changed.fire(found);
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const disposable of [...this.watchers, ...this.commands, ...this.disposables]) disposable.dispose();
  }
}
