// Drives a real VS Code (server build) in Chromium for the UI tests: a real temp workspace with real files,
// Freehold as extension under development (or installed from a .vsix), and helpers for the activity bar,
// status bar, editor, ghost text and webviews. Each step is photographed in memory; when a test fails the
// photos of all its steps, the failure itself and the page console are written to test-results/.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { MACHINE_PATH_SETTINGS } from "../../src/config/restrictedSettings";
import { launchChromium, startServer, workbenchUrl, type VsCodeServer } from "../vscode/server.mjs";

export const ROOT = resolve(__dirname, "..", "..");
export const RESULTS_DIR = resolve(process.env.FREEHOLD_TEST_RESULTS || join(ROOT, "test-results"));
export const EXTENSION_ID = "freehold.freehold";
/** The view container's title (package.json contributes.viewsContainers.activitybar). */
export const VIEW_CONTAINER_TITLE = "Freehold";
export const ACTIVATED_LINE = "[freehold] activated";
/**
 * The editor settings of the UI tests: VS Code's defaults, suggest widget included (quick suggestions while
 * typing, suggestions on trigger characters). Freehold's ghost text extends the widget's selected item, so a
 * test needs no switch to see ghost text; a test that does switch something off says why.
 */
export const GHOST_TEXT_SETTINGS = {
  "editor.inlineSuggest.enabled": true,
};

/** Freehold on `modelPath` for both roles: on the CPU, a small context, the debug log the tests read. */
export const modelSettings = (modelPath: string) => ({
  "freehold.completions.model": modelPath,
  "freehold.model.gpuLayers": 0,
  "freehold.model.contextSize": 2048,
  "freehold.debug": true,
});

/** The suggest widget's selected item (its label), or undefined when the widget is closed. */
export async function selectedSuggestion(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const widget = document.querySelector<HTMLElement>(".editor-group-container.active .suggest-widget");
    if (!widget || !widget.classList.contains("visible")) return undefined;
    const row = widget.querySelector(".monaco-list-row.focused .label-name") ?? widget.querySelector(".monaco-list-row.focused");
    return row ? (row.textContent ?? "").replace(/\u00a0/g, " ").trim() : undefined;
  });
}

export interface UiContext {
  /** A generated tiny GGUF model (random weights) for freehold.completions.model. */
  modelPath: string;
  /** Set when the run tests the packaged extension installed from this .vsix. */
  vsix?: string;
}

export interface UiTest {
  name: string;
  /** Also run against the packaged extension (`--vsix`); only these run then. */
  vsix?: boolean;
  /** Default FREEHOLD_UI_TIMEOUT_MS or 5 minutes. */
  timeoutMs?: number;
  run(context: UiContext): Promise<void>;
}

export interface WorkbenchOptions {
  /** Short name used for the screenshots' file names. */
  name: string;
  /** Workspace files, by relative path. */
  files?: Record<string, string>;
  /** The workspace's .vscode/settings.json. */
  settings?: Record<string, unknown>;
  /** Extra user settings of the server's profile. */
  userSettings?: Record<string, unknown>;
  /** Install this .vsix instead of loading the repository as extension under development. */
  vsix?: string;
  /** Keep Workspace Trust on (the workspace then opens in Restricted Mode); off by default. */
  workspaceTrust?: boolean;
  /** How long to wait for "[freehold] activated" (default 90 s). */
  activationTimeoutMs?: number;
}

/** Settings split into what a workspace may hold and the machine-scoped ones (model paths). */
function splitMachineSettings(settings: Record<string, unknown>): { workspaceSettings: Record<string, unknown>; machineSettings: Record<string, unknown> } {
  const workspaceSettings: Record<string, unknown> = {};
  const machineSettings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if ((MACHINE_PATH_SETTINGS as readonly string[]).includes(key)) machineSettings[key] = value;
    else workspaceSettings[key] = value;
  }
  return { workspaceSettings, machineSettings };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a server, opens a fresh workspace in Chromium and waits until Freehold logs its activation. */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  // The folder is always named "workspace": the repository name goes into prompts, keep outputs stable.
  const tempRoot = mkdtempSync(join(tmpdir(), "freehold-ui-"));
  const workspace = join(tempRoot, "workspace");
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  // Model paths are machine scoped: a workspace cannot set them (src/config/restrictedSettings.ts). A test's
  // `settings` may still name them; they go where a user puts them, the server's user and machine settings.
  const { workspaceSettings, machineSettings } = splitMachineSettings(options.settings ?? {});
  writeFileSync(join(workspace, ".vscode", "settings.json"), `${JSON.stringify(workspaceSettings, null, 2)}\n`);
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(join(workspace, path, ".."), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  const userMachine = splitMachineSettings(options.userSettings ?? {}).machineSettings;
  const server = await startServer({
    installExtension: options.vsix,
    userSettings: { ...machineSettings, ...options.userSettings },
    machineSettings: { ...machineSettings, ...userMachine },
    workspaceTrust: options.workspaceTrust,
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const wb = new Workbench(page, server, browser, workspace, tempRoot, options.name);
    await wb.step("workbench-loads", async () => {
      await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: options.vsix ? undefined : ROOT }));
      await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    });
    await wb.step("extension-activates", () =>
      wb.waitFor(() => wb.consoleLines.some((line) => line.includes(ACTIVATED_LINE)), options.activationTimeoutMs ?? 90_000, `the page console shows "${ACTIVATED_LINE}"`),
    );
    return wb;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
}

export class Workbench {
  readonly consoleLines: string[] = [];
  private readonly shots: { label: string; png: Buffer }[] = [];
  private failed = false;

  constructor(
    readonly page: Page,
    readonly server: VsCodeServer,
    readonly browser: Browser,
    readonly workspace: string,
    private readonly tempRoot: string,
    readonly name: string,
  ) {
    page.on("console", (message) => {
      this.consoleLines.push(`[${message.type()}] ${message.text()}`);
      if (this.consoleLines.length > 5000) this.consoleLines.shift();
    });
    page.on("pageerror", (error) => this.consoleLines.push(`[pageerror] ${error.message}`));
  }

  /** Runs one step of a test; photographs the page after it (kept in memory, written only if the test fails). */
  async step<T>(label: string, action: () => Promise<T>): Promise<T> {
    try {
      const result = await action();
      await this.photograph(label);
      return result;
    } catch (error) {
      await this.photograph(`${label}-FAILED`);
      await this.fail(error);
      throw error;
    }
  }

  /** Writes the step photos, the page console and the Freehold log to test-results/ (once per test). */
  async fail(error?: unknown): Promise<void> {
    if (this.failed) return;
    this.failed = true;
    const dir = join(RESULTS_DIR, `ui-${this.name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (!this.shots.some((s) => s.label.endsWith("-FAILED"))) await this.photograph("FAILED");
    this.shots.forEach((shot, i) => writeFileSync(join(dir, `${String(i + 1).padStart(2, "0")}-${shot.label}.png`), shot.png));
    writeFileSync(join(dir, "console.log"), `${error instanceof Error ? (error.stack ?? error.message) : String(error ?? "")}\n\n${this.consoleLines.join("\n")}\n`);
    writeFileSync(join(dir, "freehold.log"), `${this.freeholdLog().join("\n")}\n`);
    console.log(`    screenshots and logs: ${dir}`);
  }

  private async photograph(label: string): Promise<void> {
    const png = await this.page.screenshot({ timeout: 10_000 }).catch(() => undefined);
    if (png) this.shots.push({ label: label.replace(/[^\w.-]+/g, "-"), png });
  }

  /** Polls `predicate` every 200 ms; `what` (or its result) names the awaited condition in the error. */
  async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => Promise<string>)): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await predicate()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting until ${typeof what === "string" ? what : await what()}`);
      await sleep(200);
    }
  }

  /** The text of Freehold's status bar item ("Freehold: <state>"), "" when it is not shown. */
  async statusText(): Promise<string> {
    const items = this.page.locator(".statusbar-item").filter({ hasText: "Freehold:" });
    if ((await items.count()) === 0) return "";
    return (await items.first().innerText()).replace(/\s+/g, " ").trim();
  }

  /** Waits until the status bar reads `Freehold: <state>` (a regular expression on the state). */
  async waitForStatus(state: RegExp, timeoutMs = 60_000): Promise<string> {
    await this.waitFor(async () => state.test((await this.statusText()).replace(/^.*Freehold:\s*/, "")), timeoutMs, async () => `the status bar shows Freehold: ${state.source} (it shows "${await this.statusText()}")`);
    return this.statusText();
  }

  /** The hover text of Freehold's status bar item. */
  async statusTooltip(): Promise<string> {
    const hovers = this.page.locator(".workbench-hover:visible");
    // Move off whatever the mouse rests on (an activity-bar icon after a click shows its own hover).
    await this.page.mouse.move(700, 450);
    await this.waitFor(async () => (await hovers.count()) === 0, 5_000, "earlier hovers are gone");
    await this.page.locator(".statusbar-item").filter({ hasText: "Freehold:" }).first().hover();
    await hovers.first().waitFor({ state: "visible", timeout: 10_000 });
    const text = (await hovers.allInnerTexts()).join("\n");
    await this.page.mouse.move(700, 450);
    return text;
  }

  /** Clicks the activity-bar icon of a view container, by its title. */
  async openViewContainer(title = VIEW_CONTAINER_TITLE): Promise<void> {
    await this.page.locator(`.activitybar .action-label[aria-label="${title}"], .activitybar .action-label[aria-label^="${title} ("]`).first().click();
  }

  /** The content frame of a webview view contributed by `extensionId`. */
  webview(extensionId = EXTENSION_ID): FrameLocator {
    return this.page.frameLocator(`iframe.webview[src*="extensionId=${extensionId}"]`).frameLocator("#active-frame");
  }

  /** Opens a workspace file through Quick Open and focuses its editor. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 20_000 });
    await input.fill(relativePath);
    const name = relativePath.split("/").pop() ?? relativePath;
    await this.page.locator(".quick-input-list .monaco-list-row").filter({ hasText: name }).first().waitFor({ timeout: 30_000 });
    await this.page.keyboard.press("Enter");
    const editor = this.page.locator(`.monaco-editor[data-uri$="/${relativePath}"]`).first();
    await editor.waitFor({ timeout: 20_000 });
    await editor.locator(".view-lines").click();
  }

  /**
   * Loads the model with a first request on a comment line (`indent` + "//" typed at the cursor), then empties the
   * line, and returns where Freehold's log stands. The model loads on the first request, which takes seconds: on a
   * code line VS Code's suggest widget may open meanwhile with its first item selected, the ghost text then extends
   * that item (inlineSuggestWidget.ui.ts tests that), and Tab goes to the widget. Loaded first, the model answers
   * the line a test is about within VS Code's wait.
   */
  async loadModelOnCommentLine(indent = ""): Promise<number> {
    await this.page.keyboard.type(`${indent}//`, { delay: 60 });
    await this.waitFor(() => this.freeholdLog().some((l) => /\[completion\] model call #\d+/.test(l)), 180_000, "the model is loaded (a model call on a comment line)");
    await this.page.keyboard.press("Escape");
    await this.page.keyboard.press("Shift+Home");
    await this.page.keyboard.press("Shift+Home");
    await this.page.keyboard.press("Backspace");
    return this.freeholdLog().length;
  }

  /** The active editor's lines, top to bottom, with non-breaking spaces as spaces. */
  async editorLines(): Promise<string[]> {
    return this.page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>(".editor-group-container.active .monaco-editor .view-lines .view-line")];
      return rows
        .map((row) => ({ top: parseFloat(row.style.top), text: (row.textContent ?? "").replace(/\u00a0/g, " ") }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.text);
    });
  }

  /**
   * Saves the active editor and reads `relativePath` from disk. Tests compare the saved file rather than the
   * editor's lines, which also show ghost text (after an accept, the prefetched next suggestion at once).
   */
  async savedText(relativePath: string): Promise<string> {
    await this.page.keyboard.press("Control+S");
    await this.page.waitForTimeout(300);
    return readFileSync(join(this.workspace, relativePath), "utf8");
  }

  /** The ghost text shown in the active editor (same-line and multi-line), "" when none. */
  async ghostText(): Promise<string> {
    return this.page.evaluate(() => {
      const editor = document.querySelector(".editor-group-container.active .monaco-editor");
      if (!editor) return "";
      const parts = [...editor.querySelectorAll(".ghost-text-decoration, .ghost-text-decoration-preview, .suggest-preview-text .ghost-text, .ghost-text")];
      return parts.map((p) => (p.textContent ?? "").replace(/\u00a0/g, " ")).join("");
    });
  }

  /** Lines of the Freehold output channel's log file (written by the extension host under the server's logs). */
  freeholdLog(): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/Freehold\.log$/.test(entry)) found.push(path);
      }
    };
    try {
      walk(this.server.logsDir);
    } catch {
      return [];
    }
    return found.flatMap((file) => readFileSync(file, "utf8").split("\n"));
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    rmSync(this.tempRoot, { recursive: true, force: true });
  }
}

/** Opens a workbench, runs `body`, records the failure (screenshots, logs) and always closes. */
export async function withWorkbench(options: WorkbenchOptions, body: (wb: Workbench) => Promise<void>): Promise<void> {
  const wb = await openWorkbench(options);
  try {
    await body(wb);
  } catch (error) {
    await wb.fail(error);
    throw error;
  } finally {
    await wb.close();
  }
}
