// Drives a real VS Code (server build) in Chromium for UI tests: a temp workspace with real files, the
// extension as development path or installed from a .vsix, helpers for the editor, the status bar and views.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath, startServer, workbenchUrl } from "../vscode/server.mjs";

export const ROOT = resolve(import.meta.dirname, "..", "..");

/**
 * @param {{ files: Record<string,string>, settings: object, vsix?: string, name: string }} options
 */
export async function openWorkbench(options) {
  // A fixed folder name: the repository name is part of the prompt, so the tiny model's output stays the same.
  const workspace = join(mkdtempSync(join(tmpdir(), "freehold-ui-")), "workspace");
  mkdirSync(join(workspace, ".vscode"), { recursive: true });
  writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify(options.settings, null, 2));
  for (const [path, text] of Object.entries(options.files)) {
    mkdirSync(join(workspace, path, ".."), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  const server = await startServer({ installExtension: options.vsix });
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(message.text()));
  await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: options.vsix ? undefined : ROOT }));
  const wb = new Workbench(page, server, browser, workspace, consoleLines, options.name);
  await wb.waitFor(() => consoleLines.some((l) => l.includes("[freehold] activated")), 90_000, "the extension logs that it activated");
  return wb;
}

export class Workbench {
  constructor(page, server, browser, workspace, consoleLines, name) {
    this.page = page;
    this.server = server;
    this.browser = browser;
    this.workspace = workspace;
    this.consoleLines = consoleLines;
    this.name = name;
    this.shots = 0;
  }

  async waitFor(predicate, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await predicate()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async statusText() {
    const items = this.page.locator(".statusbar-item").filter({ hasText: "Freehold:" });
    if ((await items.count()) === 0) return "";
    return (await items.first().innerText()).trim();
  }

  async openFile(relativePath) {
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 20_000 });
    await input.fill(relativePath);
    const name = relativePath.split("/").pop();
    await this.page.locator(".quick-input-list .monaco-list-row").filter({ hasText: name }).first().waitFor({ timeout: 30_000 });
    await this.page.keyboard.press("Enter");
    const editor = this.page.locator(`.monaco-editor[data-uri$="/${relativePath}"]`);
    await editor.first().waitFor({ timeout: 20_000 });
    await editor.first().locator(".view-lines").click();
  }

  /** The active editor's lines, top to bottom, with non-breaking spaces as spaces. */
  async editorLines() {
    return this.page.evaluate(() => {
      const rows = [...document.querySelectorAll(".editor-group-container.active .monaco-editor .view-lines .view-line")];
      return rows
        .map((row) => ({ top: parseFloat(row.style.top), text: row.textContent.replace(/\u00a0/g, " ") }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.text);
    });
  }

  /** The ghost text shown in the active editor, "" when none. */
  async ghostText() {
    return this.page.evaluate(() => {
      const editor = document.querySelector(".editor-group-container.active .monaco-editor");
      if (!editor) return "";
      const parts = [...editor.querySelectorAll(".ghost-text-decoration, .ghost-text-decoration-preview, .suggest-preview-text .ghost-text, .ghost-text")];
      return parts.map((p) => p.textContent.replace(/\u00a0/g, " ")).join("");
    });
  }

  /** Lines of the Freehold output channel's log file (the extension host writes it in the server's logs folder). */
  freeholdLog() {
    const found = [];
    const walk = (dir) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/Freehold\.log$/.test(entry)) found.push(path);
      }
    };
    try {
      walk(join(this.server.root, "user-data", "logs"));
    } catch {
      return [];
    }
    return found.flatMap((file) => readFileSync(file, "utf8").split("\n"));
  }

  async screenshot(label) {
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    const file = join(ROOT, "test-results", `${this.name}-${String(++this.shots).padStart(2, "0")}-${label}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    return file;
  }

  async close() {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
  }
}
