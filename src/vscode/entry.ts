// Freehold's entry (bundled as dist/extension.js, the manifest's `main`): the only code VS Code loads at
// activation, kept small (DESIGN §9: activation ≤ 50 ms). It registers what the manifest promises — commands, the
// two views, the inline completion and code action providers — and loads the rest (src/extension.ts, bundled as
// dist/host.js: engines, the context engine, chat, refactors, models) on first use: a Freehold command, the first
// completion request, a Freehold view shown, a `.prompt` file opened, the exported API; or right after activation
// when the settings name a model server or the prompt folders hold prompt files. The inference worker starts
// later still, on the first request that needs a model.
import * as vscode from "vscode";
import type * as HostModule from "../extension";
import type { FreeholdApi, Host } from "../extension";
import { RESTRICTED_SETTINGS } from "../config/restrictedSettings";
import { RefactorCodeActions } from "./refactor/codeActions";
import { anyPromptFile } from "./refactor/promptFolders";
import { anyModelConfigured, roleServersFromSettings } from "./settings";
import { StatusBar } from "./statusBar";
import { announceIgnoredWorkspaceSettings, setTrustLog } from "./trust";

export type { FreeholdApi } from "../extension";

/** The bundle beside this one (esbuild keeps the require: it is external to the entry's bundle). */
const HOST_BUNDLE = "./host.js";

/** The host module once loaded (deactivate stops its engines). */
let hostModule: typeof HostModule | undefined;

export function activate(context: vscode.ExtensionContext): FreeholdApi {
  const activateStarted = performance.now();
  const log = vscode.window.createOutputChannel("Freehold", { log: true });
  setTrustLog((line) => log.info(line));
  const statusBar = new StatusBar();
  let host: Host | undefined;
  /** Commands registered here until the host registers the real ones. */
  const placeholders: vscode.Disposable[] = [];
  const load = (reason: string): Host => {
    if (host) return host;
    for (const placeholder of placeholders.splice(0)) placeholder.dispose();
    const started = performance.now();
    const rssBefore = process.memoryUsage().rss;
    hostModule = require(HOST_BUNDLE) as typeof HostModule;
    host = hostModule.startHost(context, { log, statusBar });
    const memory = process.memoryUsage();
    log.info(`loaded on ${reason} in ${Math.round(performance.now() - started)} ms; extension host rss ${mb(memory.rss)} MB (+${mb(memory.rss - rssBefore)}), heap ${mb(memory.heapUsed)} MB, external ${mb(memory.external)} MB`);
    return host;
  };
  /** The same, for what no one waits on (a timer, an event): a failure goes to the log. */
  const loadInBackground = (reason: string) => {
    try {
      load(reason);
    } catch (error) {
      log.error(`Freehold's host did not load (${reason}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };

  /**
   * Until the host loads (it keeps them up to date after): the status bar's "no model" hint and the Set Up view's
   * condition; a model server in the settings loads the host, so its status (remote, which host) and any problem
   * with the setting show from the start.
   */
  const applySettings = () => {
    if (host) return;
    const configured = anyModelConfigured();
    statusBar.show({ state: "idle" }, configured);
    void vscode.commands.executeCommand("setContext", "freehold.needsModel", !configured);
    const { servers, problems } = roleServersFromSettings();
    if (servers.completion || servers.chat || problems.length) loadInBackground("a model server in the settings");
  };

  // Every command the manifest lists: the first call loads the host, which registers the real one, and is passed on.
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  for (const { command } of contributed) {
    placeholders.push(
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        load(`command ${command}`);
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  }

  // Under freehold.debug: the extension host's memory as completions come, at most every few seconds.
  let memoryLoggedAt = 0;
  const logMemory = () => {
    if (Date.now() - memoryLoggedAt < MEMORY_LOG_INTERVAL_MS || !vscode.workspace.getConfiguration("freehold").get<boolean>("debug", false)) return;
    memoryLoggedAt = Date.now();
    const memory = process.memoryUsage();
    log.info(`[memory] extension host rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB, external ${mb(memory.external)} MB (array buffers ${mb(memory.arrayBuffers)} MB)`);
  };
  const inline: vscode.InlineCompletionItemProvider = {
    provideInlineCompletionItems: (document, position, inlineContext, token) => {
      const provider = load("the first completion request").api.completions.provider;
      logMemory();
      return provider.provideInlineCompletionItems(document, position, inlineContext, token);
    },
  };
  // A `.prompt` file open: its header's problems are reported as diagnostics by the host's prompt library.
  const loadForPromptFile = (document: vscode.TextDocument) => {
    if (!host && document.uri.path.endsWith(".prompt")) loadInBackground(`opening ${vscode.workspace.asRelativePath(document.uri)}`);
  };
  // Prompt files in the prompt folders: each is a command of its own (`freehold.prompt.…`, which a keybinding may
  // name), registered by the host's prompt library, so the host loads (after activation) when there are any.
  const loadForPromptFolders = () => {
    if (!host) void anyPromptFile(context.globalStorageUri).then((found) => found && loadInBackground("prompt files in the prompt folders"));
  };
  context.subscriptions.push(
    log,
    statusBar,
    { dispose: () => placeholders.splice(0).forEach((p) => p.dispose()) },
    vscode.languages.registerInlineCompletionItemProvider({ pattern: "**" }, inline),
    vscode.languages.registerCodeActionsProvider([{ scheme: "file" }, { scheme: "untitled" }], new RefactorCodeActions(), RefactorCodeActions.metadata),
    vscode.window.registerWebviewViewProvider("freehold.chatView", { resolveWebviewView: (view) => load("the chat view").views.chat.resolveWebviewView(view) }, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.window.registerWebviewViewProvider("freehold.setupView", { resolveWebviewView: (view) => load("the Set Up view").views.setup.resolveWebviewView(view) }),
    vscode.workspace.onDidOpenTextDocument(loadForPromptFile),
    vscode.workspace.onDidGrantWorkspaceTrust(loadForPromptFolders),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("freehold")) applySettings();
    }),
  );
  for (const document of vscode.workspace.textDocuments) loadForPromptFile(document);

  // Reading the settings registers nothing: it runs right after activation (the status bar item already says
  // idle), unless the host has taken over by then.
  const afterActivation = setTimeout(() => {
    void announceIgnoredWorkspaceSettings(RESTRICTED_SETTINGS);
    applySettings();
    loadForPromptFolders();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(afterActivation) });

  const api = (): FreeholdApi => load("the extension's API").api;
  log.info(`activated in ${Math.round(performance.now() - activateStarted)} ms; the rest loads on first use`);
  console.log("[freehold] activated");
  return {
    get engine() {
      return api().engine;
    },
    get roles() {
      return api().roles;
    },
    statusText: () => statusBar.shownText,
    ensureModel: () => api().ensureModel(),
    get completions() {
      return api().completions;
    },
    get review() {
      return api().review;
    },
    get refactor() {
      return api().refactor;
    },
    get chat() {
      return api().chat;
    },
  };
}

const MEMORY_LOG_INTERVAL_MS = 5000;

function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

export async function deactivate(): Promise<void> {
  await hostModule?.stopHost();
}
