// One whole Freehold session in the real VS Code (server build + Chromium), run by test/offline/run.mjs under
// strace: inline completions (ghost text, Tab), Show Last Prompt, chat (a streamed answer, then Apply on a
// code block with Accept), a right-click Refactor with Accept, and the models views (Choose Completion Model… lists the
// model the CLI child found; the Set Up panel renders under its strict CSP). Each feature must work; the
// runner then checks that no process connected anywhere but loopback and local IPC.
// Prints "offline-session: N passed, N failed" (one line per feature before it).
import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tinyModelPath } from "../helpers/models";
import type { Request } from "playwright-core";
import { EXTENSION_ID, GHOST_TEXT_SETTINGS, ROOT, withWorkbench, type Workbench } from "../ui/harness";
import { conversation, openChat, runCommand, withChatSeed } from "../ui/chatHelpers";
import { runFromContextMenu } from "../ui/contextMenu";

const CONFIG = `import { readFile } from "node:fs/promises";

export async function loadConfig(path: string) {
  const text = await readFile(path, "utf8");
  return JSON.parse(text);
}

`;
const GEOMETRY = `export interface Point { x: number; y: number }

export function scale(p: Point, factor: number): Point {
  const product = { x: p.x * factor, y: p.y * factor };
  return product;
}

export const origin: Point = { x: 0, y: 0 };
`;
const ANSWER_ORIGINAL = "export const answer = 1;\n";

const results: Array<{ name: string; ok: boolean; error?: string }> = [];

async function feature(wb: Workbench, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await wb.step(name, body);
    results.push({ name, ok: true });
    console.log(`  ✔ ${name}`);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.push({ name, ok: false, error: text });
    console.log(`  ✖ ${name}\n      ${text.split("\n").join("\n      ")}`);
  }
}

async function main(): Promise<number> {
  const modelPath = await tinyModelPath({ family: "qwen", seed: 1 });
  const searchFolder = mkdtempSync(join(tmpdir(), "freehold-offline-models-"));
  copyFileSync(modelPath, join(searchFolder, "tiny-coder.gguf"));
  const seeded = conversation("offline", "Offline", [
    { role: "user", text: "Make the answer 42" },
    { role: "assistant", text: "Here it is:\n\n```ts\nexport const answer = 42;\n```\n" },
  ]);
  const settings = {
    "freehold.completions.model": modelPath,
    "freehold.model.searchPaths": [searchFolder],
    "freehold.model.gpuLayers": 0,
    "freehold.model.contextSize": 2048,
    "freehold.model.threads": 1,
    "freehold.chat.maxTokens": 24,
    "freehold.debug": true,
    "files.autoSave": "off",
    ...GHOST_TEXT_SETTINGS,
  };
  try {
    await withChatSeed([seeded], seeded.id, () =>
      withWorkbench({ name: "offline", settings, files: { "src/config.ts": CONFIG, "src/geometry.ts": GEOMETRY, "src/answer.ts": ANSWER_ORIGINAL } }, async (wb) => {
        const page = wb.page;
        // Every request of the workbench page and its frames (the webviews included), from here on.
        const requests: string[] = [];
        page.context().on("request", (request: Request) => requests.push(request.url()));

        await feature(wb, "inline completion: ghost text appears and Tab accepts it", async () => {
          await wb.openFile("src/config.ts");
          await page.keyboard.press("Control+End");
          // On `= ` the suggest widget would otherwise open with its first item selected while the model loads.
          const logStart = await wb.loadModelOnCommentLine();
          const logSince = () => wb.freeholdLog().slice(logStart);
          await page.keyboard.type("const settings = ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()).trim().length > 0, 180_000, "ghost text appears");
          // Shown while it streams, the suggestion's model call is logged when generation ends.
          await wb.waitFor(async () => logSince().some((l) => /\[completion\] model call #\d+/.test(l)), 120_000, "the suggestion came from a model call");
          // When the whole text differs from what was shown, Freehold hides the ghost text and asks VS Code again
          // (answered from memory): Tab pressed in between would indent. Wait for that answer (the log is written
          // asynchronously: a moment first, for the line that says it asked).
          await page.waitForTimeout(500);
          const refreshes = () => logSince().filter((l) => l.includes("asking VS Code again")).length;
          const refreshed = () => logSince().filter((l) => l.includes("asked again for the whole suggestion")).length;
          await wb.waitFor(async () => refreshed() >= refreshes(), 10_000, "the whole suggestion is asked for again and answered");
          let ghost = "";
          await wb.waitFor(async () => (ghost = await wb.ghostText()).trim().length > 0, 10_000, "the whole suggestion is shown");
          // The file on disk is compared, not the editor's lines: once accepted, the speculative prefetch may show the
          // next suggestion as ghost text on the same line at once.
          const expected = `const settings = ${ghost}`.trimEnd();
          let saved = "";
          await page.keyboard.press("Tab");
          await wb.waitFor(
            async () => (saved = (await wb.savedText("src/config.ts")).trimEnd()).endsWith(expected),
            10_000,
            async () => `Tab inserted the whole suggestion (the file ends ${JSON.stringify(saved.slice(-120))}, expected ${JSON.stringify(expected)})`,
          );
        });

        await feature(wb, "Show Last Prompt opens what the model saw", async () => {
          await runCommand(wb, "Freehold: Show Last Prompt");
          await wb.waitFor(async () => (await wb.editorLines()).some((l) => l.includes("Freehold — last completion prompt")), 20_000, "the prompt document is shown");
          assert.ok((await wb.editorLines()).some((l) => l.includes("file: src/config.ts")));
        });

        const chat = await openChat(wb);
        await feature(wb, "chat: a question gets a streamed answer from the model", async () => {
          const before = await chat.locator(".message.assistant").count();
          await chat.locator("#input").fill("What does loadConfig do?");
          await chat.locator("#input").press("Enter");
          await chat.locator(".message.assistant").nth(before).waitFor({ timeout: 120_000 });
          await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 240_000, "the answer finishes");
          assert.ok(((await chat.locator(".message.assistant").nth(before).innerText()) ?? "").trim().length > 0, "the answer has text");
        });

        await feature(wb, "chat: Apply on a code block shows a diff and Accept changes the file", async () => {
          await wb.openFile("src/answer.ts");
          await page.keyboard.press("Control+End");
          await chat.locator("pre", { hasText: "answer = 42" }).first().hover();
          await chat.locator("pre", { hasText: "answer = 42" }).locator('button[data-action="apply"]').first().click();
          await page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
          await runCommand(wb, "Freehold: Accept Proposed Change");
          await wb.waitFor(async () => (await page.locator(".monaco-diff-editor").count()) === 0, 20_000, "the diff closes after Accept");
          await wb.waitFor(async () => (await wb.editorLines()).some((l) => l.includes("answer = 42")), 20_000, "the file has the applied code");
        });

        await feature(wb, "refactor: right-click Freehold → Refactor shows a diff and Accept changes the file", async () => {
          await wb.openFile("src/geometry.ts");
          await runFromContextMenu(wb, 3, 6, "Refactor", "const product");
          const before = readFileSync(join(wb.workspace, "src/geometry.ts"), "utf8");
          assert.equal(before, GEOMETRY, "nothing changed before Accept");
          await page.locator(`.editor-group-container.active .editor-actions .action-label[aria-label^="Accept Proposed Change"]`).first().click();
          await wb.waitFor(async () => (await page.locator(".monaco-diff-editor:visible").count()) === 0, 20_000, "the diff closes");
          const lines = (await wb.editorLines()).join("\n");
          assert.notEqual(lines.trim(), GEOMETRY.trim(), "the file changed");
        });

        await feature(wb, "models: Choose Completion Model… lists the model the CLI found on disk", async () => {
          await runCommand(wb, "Freehold: Choose Completion Model…");
          await page.locator(".quick-input-list .monaco-list-row", { hasText: "tiny-coder.gguf" }).first().waitFor({ timeout: 120_000 });
          await page.keyboard.press("Escape");
          assert.ok(wb.freeholdLog().some((l) => /\[models\] found [1-9]\d* usable model/.test(l)), "the scan ran in the CLI child");
        });

        await feature(wb, "models: the Set Up panel renders under a strict CSP", async () => {
          await runCommand(wb, "Freehold: Set Up Models");
          const frames = page.locator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`);
          let csp = "";
          await wb.waitFor(
            async () => {
              for (let i = 0; i < (await frames.count()); i++) {
                const frame = frames.nth(i).contentFrame().frameLocator("#active-frame");
                if ((await frame.getByRole("heading", { name: "Set up Freehold" }).count()) > 0) {
                  await frame.locator("li.model", { hasText: "tiny-coder.gguf" }).first().waitFor({ timeout: 60_000 });
                  csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? "";
                  return true;
                }
              }
              return false;
            },
            60_000,
            "the setup panel shows the model found",
          );
          assert.match(csp, /default-src 'none'/);
          assert.match(csp, /form-action 'none'/);
        });

        await feature(wb, "renderers: every request of the workbench and the webviews went to the VS Code server", async () => {
          const server = new URL(wb.server.url);
          const foreign = requests.filter((url) => {
            if (/^(data|blob|about|vscode-webview|vscode-resource):/i.test(url)) return false;
            try {
              const parsed = new URL(url);
              if (parsed.host === server.host) return false;
              // asWebviewUri addresses are answered by VS Code's service worker from the server; only the
              // extension's own webview folders may be asked for.
              const path = decodeURIComponent(parsed.pathname);
              return !(parsed.host.endsWith(".vscode-resource.vscode-cdn.net") && (path.startsWith(`${ROOT}/dist/webview/`) || path.startsWith(`${ROOT}/media/`)));
            } catch {
              return true;
            }
          });
          console.log(`  renderer requests: ${requests.length}, not for the VS Code server: ${foreign.length}`);
          assert.ok(requests.length > 0, "the request observer saw the page's requests");
          assert.deepEqual(foreign, []);
        });
      }),
    );
  } finally {
    rmSync(searchFolder, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`offline-session: ${passed} passed, ${failed} failed`);
  return failed || passed < 8 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`offline-session: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log("offline-session: 0 passed, 1 failed");
    process.exit(1);
  },
);
