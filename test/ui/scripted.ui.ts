// Exact end-to-end results with scripted models (src/gguf/scripted.ts: a real GGUF whose output after any
// prompt is a chosen text, run by llama.cpp in the real worker): the ghost text is the scripted completion and
// Tab inserts exactly it; the chat renders the scripted Markdown exactly and Apply → Accept leaves exactly the
// code block in the file; a refactor's scripted rewrite (a fenced block with chatter around it) → Accept gives
// exactly the expected file and Undo the original; Add Documentation puts the scripted doc comment above the
// function. Each test makes its own model from its script (cached under .freehold-test/models).
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scriptedModelPath } from "../helpers/models";
import { GHOST_TEXT_SETTINGS, modelSettings, withWorkbench, type UiTest, type Workbench } from "./harness";
import { openChat, runCommand } from "./chatHelpers";
import { runFromContextMenu } from "./contextMenu";

/** src/vscode/completion/testHooks.ts (not imported: it needs VS Code's API). */
const TEST_REFRESH_DELAY_ENV = "FREEHOLD_TEST_REFRESH_DELAY_MS";

// Tests about chat and refactors turn inline completions off: the scripted model would also answer every
// keystroke with its script, and those requests are not what these tests look at.

/** Lines of the active (non-diff) editor, trailing blank lines dropped. */
async function fileLines(wb: Workbench): Promise<string[]> {
  const lines = await wb.editorLines();
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
const linesOf = (text: string) => text.replace(/\n+$/, "").split("\n");

/**
 * Saves the active editor until the file on disk is `expected` (accepting a suggestion lands asynchronously, and
 * the editor's lines also show ghost text, so the saved file is what is compared); fails with what was saved.
 */
async function expectSavedFile(wb: Workbench, relativePath: string, expected: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let saved = readFileSync(join(wb.workspace, relativePath), "utf8");
  while (saved !== expected && Date.now() < deadline) saved = await wb.savedText(relativePath);
  assert.equal(saved, expected, what);
}

async function acceptInTitleBar(wb: Workbench): Promise<void> {
  await wb.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Accept Proposed Change"]').first().click();
  await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor:visible").count()) === 0, 20_000, "the diff closes");
}

const GEOMETRY = `// Geometry helpers.

export function area(width: number, height: number): number {
  const product = width * height;
  return product;
}

export const unit = area(1, 1);
`;

/**
 * A scripted model whose completion is a five-line block, a file to complete it in, and settings that force
 * multi-line suggestions (a multi-line one is handed to VS Code at its first line, before the rest is generated).
 */
async function blockScript() {
  const block = "let i = 0;\n  while (i < values.length) {\n    sum += values[i];\n    i++;\n  }\n";
  const modelPath = await scriptedModelPath("ui-inline-block", block);
  const source = "export function total(values: number[]): number {\n  let sum = 0;\n";
  return { block, source, settings: { ...modelSettings(modelPath), ...GHOST_TEXT_SETTINGS, "freehold.completions.multiline": "always" } };
}

export const tests: UiTest[] = [
  {
    name: "scripted: the ghost text is exactly the scripted completion and Tab inserts exactly it",
    async run() {
      const completion = "a + b;";
      const modelPath = await scriptedModelPath("ui-inline", completion);
      const source = "export function add(a: number, b: number): number {\n";
      const settings = { ...modelSettings(modelPath), ...GHOST_TEXT_SETTINGS };
      await withWorkbench({ name: "scripted-inline", settings, files: { "src/add.ts": source } }, async (wb) => {
        const page = wb.page;
        await wb.step("ghost-shown", async () => {
          await wb.openFile("src/add.ts");
          await page.keyboard.press("Control+End");
          // On "return " the suggest widget would otherwise open with the parameter `a` selected while the model loads.
          await wb.loadModelOnCommentLine("  ");
          await page.keyboard.type("  return ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()) === completion, 60_000, async () => `the ghost text is ${JSON.stringify(completion)} (it is ${JSON.stringify(await wb.ghostText())})`);
        });
        await wb.step("tab-inserts-it", async () => {
          await page.keyboard.press("Tab");
          await expectSavedFile(wb, "src/add.ts", `${source}  return ${completion}`, "Tab inserted exactly the suggestion");
        });
      });
    },
  },
  {
    // As in Copilot's menu: the status bar's Freehold item switches inline completions off for the editor's
    // language and on again, written to the user's settings; the status bar says so while they are off.
    name: "status-bar menu: turning inline completions off for TypeScript stops the ghost text there; turning them on brings it back",
    async run() {
      const completion = "a + b;";
      const modelPath = await scriptedModelPath("ui-inline", completion);
      const source = "export function add(a: number, b: number): number {\n";
      const settings = { ...modelSettings(modelPath), ...GHOST_TEXT_SETTINGS };
      await withWorkbench({ name: "scripted-inline-switch", settings, files: { "src/add.ts": source } }, async (wb) => {
        const page = wb.page;
        const userSettingsFile = join(wb.server.userDataDir, "User", "settings.json");
        const userSettings = () => (existsSync(userSettingsFile) ? (JSON.parse(readFileSync(userSettingsFile, "utf8")) as Record<string, unknown>) : {});
        const chooseInMenu = async (label: string) => {
          await page.locator(".statusbar-item").filter({ hasText: "Freehold:" }).first().click();
          await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: label }).first().click();
          // The menu gives the focus back to the status bar item (a space there would open the menu again): back
          // to the editor, where the cursor was, as a user clicks back into it.
          await page.keyboard.press("Control+1");
        };
        const clearLine = async () => {
          await page.keyboard.press("Escape");
          await page.keyboard.press("Shift+Home");
          await page.keyboard.press("Shift+Home");
          await page.keyboard.press("Backspace");
        };
        await wb.step("model-loaded", async () => {
          await wb.openFile("src/add.ts");
          await page.keyboard.press("Control+End");
          await wb.loadModelOnCommentLine("  ");
        });
        await wb.step("off-for-typescript", async () => {
          await chooseInMenu("Turn off inline completions for typescript");
          await wb.waitFor(() => JSON.stringify(userSettings()["freehold.completions.languages"]) === JSON.stringify({ "*": true, typescript: false }), 10_000, () => Promise.resolve(`the user settings switch TypeScript off (${JSON.stringify(userSettings())})`));
          await wb.waitForStatus(/completions off for typescript/, 10_000);
          const skippedBefore = wb.freeholdLog().filter((l) => l.includes("skipped: completions are off for typescript")).length;
          await page.keyboard.type("  return ", { delay: 60 });
          await wb.waitFor(() => wb.freeholdLog().filter((l) => l.includes("skipped: completions are off for typescript")).length > skippedBefore, 10_000, "Freehold is asked and skips TypeScript");
          await page.waitForTimeout(2000);
          assert.equal((await wb.ghostText()).trim(), "", "no ghost text in TypeScript");
          await clearLine();
        });
        await wb.step("on-again", async () => {
          await chooseInMenu("Turn on inline completions for typescript");
          await wb.waitFor(() => JSON.stringify(userSettings()["freehold.completions.languages"]) === JSON.stringify({ "*": true }), 10_000, () => Promise.resolve(`the user settings are back as they were (${JSON.stringify(userSettings())})`));
          await wb.waitForStatus(/^(ready|generating)( · \d+ ms)?$/, 10_000);
          await page.keyboard.type("  return ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()) === completion, 30_000, async () => `the ghost text is back (it is ${JSON.stringify(await wb.ghostText())})`);
        });
      });
    },
  },
  {
    // Multi-line is forced ("always"): the test is about a suggestion that grows after it is first shown, and a
    // multi-line one is handed to VS Code at its first line, before the rest is generated.
    name: "scripted multi-line: the ghost text shown at the first line grows to the whole block when generation ends; Tab inserts all of it",
    async run() {
      const { block, source, settings } = await blockScript();
      await withWorkbench({ name: "scripted-inline-block", settings, files: { "src/total.ts": source } }, async (wb) => {
        const page = wb.page;
        await wb.step("ghost-grows", async () => {
          await wb.openFile("src/total.ts");
          await page.keyboard.press("Control+End");
          // On the empty line the suggest widget would otherwise open with `arguments` selected while the model loads.
          await wb.loadModelOnCommentLine("  ");
          const grownBefore = wb.freeholdLog().filter((l) => l.includes("the suggestion shown while streaming is whole")).length;
          await page.keyboard.type("  ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()).includes("i++;"), 60_000, async () => `the ghost text reaches the block's last lines (it is ${JSON.stringify(await wb.ghostText())})`);
          await page.waitForTimeout(500); // the log file is written asynchronously
          const grown = wb.freeholdLog().filter((l) => l.includes("the suggestion shown while streaming is whole")).length;
          assert.ok(grown > grownBefore, "it was first shown while streaming, then asked for again");
        });
        await wb.step("tab-inserts-all", async () => {
          await page.keyboard.press("Tab");
          await expectSavedFile(wb, "src/total.ts", `${source}  ${block.trimEnd()}`, "Tab inserted the whole block");
        });
      });
    },
  },
  {
    // When a suggestion shown at its first line ends with more text, Freehold hides it and asks VS Code again
    // (VS Code's stable API cannot replace a shown item); for ~150 ms no ghost text is on screen. Tab pressed then
    // must still accept the suggestion the user saw coming, not indent. Multi-line is forced, as above.
    name: "scripted multi-line: Tab pressed while the grown suggestion is off screen, before VS Code shows it again, inserts all of it",
    async run() {
      const { block, source, settings } = await blockScript();
      // The moment off screen is widened to 5 s (a test hook), so Tab lands in it every time.
      process.env[TEST_REFRESH_DELAY_ENV] = "5000";
      try {
        await withWorkbench({ name: "scripted-inline-gap", settings, files: { "src/total.ts": source } }, async (wb) => {
          const page = wb.page;
          await wb.step("tab-in-the-gap", async () => {
            await wb.openFile("src/total.ts");
            await page.keyboard.press("Control+End");
            const logStart = await wb.loadModelOnCommentLine("  ");
            await page.keyboard.type("  ", { delay: 60 });
            // The moment starts when Freehold hides the grown suggestion and asks VS Code again. The log says so;
            // the early ghost text may never reach the screen (the scripted model ends 10 ms after it), so the page
            // cannot be watched for ghost text that goes.
            await wb.waitFor(() => wb.freeholdLog().slice(logStart).some((l) => l.includes("asking VS Code again")), 60_000, "the grown suggestion is asked for again");
            await wb.waitFor(async () => (await wb.ghostText()).trim() === "", 2_000, "no ghost text on screen while VS Code is asked again");
            const gapAt = new Date().toISOString();
            await page.keyboard.press("Tab");
            await expectSavedFile(wb, "src/total.ts", `${source}  ${block.trimEnd()}`, `Tab in the gap (seen at ${gapAt}) inserted the whole block`);
            await page.waitForTimeout(500); // the log file is written asynchronously
            assert.ok(
              wb.freeholdLog().slice(logStart).some((l) => l.includes("Tab before the whole suggestion was back on screen")),
              "Tab was pressed while the suggestion was off screen (not after VS Code showed it again)",
            );
          });
        });
      } finally {
        delete process.env[TEST_REFRESH_DELAY_ENV];
      }
    },
  },
  {
    name: "scripted: the chat renders the scripted Markdown exactly; Apply → diff → Accept leaves exactly its code block",
    async run() {
      const code = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
      const script = `## Adding numbers\n\n- \`add\` takes two numbers\n- it returns their sum\n\n\`\`\`ts\n${code}\`\`\`\n`;
      const modelPath = await scriptedModelPath("ui-chat", script);
      const original = "export function add(a, b) {\n  return a - b;\n}\n";
      const settings = { ...modelSettings(modelPath), "freehold.completions.enabled": false };
      await withWorkbench({ name: "scripted-chat", settings, files: { "src/add.ts": original } }, async (wb) => {
        const file = join(wb.workspace, "src/add.ts");
        await wb.step("file-open", () => wb.openFile("src/add.ts"));
        const chat = await wb.step("answer-rendered", async () => {
          const chat = await openChat(wb);
          await chat.locator("#input").fill("How do I add two numbers?");
          await chat.locator("#input").press("Enter");
          await chat.locator(".message.assistant pre code").waitFor({ timeout: 120_000 });
          await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 60_000, "the answer finishes");
          const body = chat.locator(".message.assistant .body").last();
          const blocks = await body.evaluate((el) => [...el.children].map((c) => c.tagName.toLowerCase()));
          assert.deepEqual(blocks.filter((t) => t !== "div"), ["h2", "ul", "pre"], `rendered blocks: ${blocks.join(", ")}`);
          assert.equal(await body.locator("h2").textContent(), "Adding numbers");
          assert.deepEqual(await body.locator("ul > li").allTextContents(), ["add takes two numbers", "it returns their sum"]);
          assert.equal(await body.locator("ul > li code").textContent(), "add");
          assert.equal(await body.locator("pre code").textContent(), code);
          assert.ok(await body.locator("pre code .hljs-keyword").count(), "highlighted as TypeScript");
          return chat;
        });
        await wb.step("apply-shows-diff", async () => {
          await wb.page.locator('.monaco-editor[data-uri$="/src/add.ts"] .view-lines').first().click();
          await wb.page.keyboard.press("Control+End");
          await chat.locator("pre").first().hover();
          await chat.locator('pre button[data-action="apply"]').first().click();
          await wb.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
          assert.equal(readFileSync(file, "utf8"), original, "nothing changed before Accept");
        });
        await wb.step("accept-leaves-exactly-the-block", async () => {
          await runCommand(wb, "Freehold: Accept Proposed Change");
          await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor").count()) === 0, 20_000, "the diff closes after Accept");
          await wb.page.locator('.monaco-editor[data-uri$="/src/add.ts"] .view-lines').first().click();
          await wb.page.keyboard.press("Control+S");
          await wb.waitFor(() => readFileSync(file, "utf8") !== original, 10_000, "the file is saved");
          assert.equal(readFileSync(file, "utf8"), code);
        });
      });
    },
  },
  {
    name: "scripted: a refactor's rewrite (a fenced block with chatter around it) → Accept gives exactly the expected file; Undo restores it",
    async run() {
      const rewritten = "export function area(width: number, height: number): number {\n  return width * height;\n}\n";
      const script = `Sure! Here is the refactored function:\n\n\`\`\`ts\n${rewritten}\`\`\`\n\nThis version returns the product directly.\n`;
      const modelPath = await scriptedModelPath("ui-refactor", script);
      const settings = { ...modelSettings(modelPath), "freehold.completions.enabled": false, "freehold.model.threads": 1 };
      const expected = GEOMETRY.replace("export function area(width: number, height: number): number {\n  const product = width * height;\n  return product;\n}\n", rewritten);
      await withWorkbench({ name: "scripted-refactor", settings, files: { "src/geometry.ts": GEOMETRY } }, async (wb) => {
        await wb.step("file-open", async () => {
          await wb.openFile("src/geometry.ts");
          assert.deepEqual(await fileLines(wb), linesOf(GEOMETRY));
        });
        await wb.step("diff-shown", () => runFromContextMenu(wb, 3, 6, "Refactor", "const product"));
        await wb.step("accepted", async () => {
          await acceptInTitleBar(wb);
          await wb.waitFor(async () => JSON.stringify(await fileLines(wb)) === JSON.stringify(linesOf(expected)), 20_000, async () => `the file is exactly the rewrite (it shows ${JSON.stringify(await fileLines(wb))})`);
        });
        await wb.step("undone", async () => {
          await wb.page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
          await wb.page.keyboard.press("Control+Z");
          await wb.waitFor(async () => JSON.stringify(await fileLines(wb)) === JSON.stringify(linesOf(GEOMETRY)), 20_000, "one undo restores the file exactly");
        });
      });
    },
  },
  {
    name: "scripted: Add Documentation puts the scripted doc comment right above the function, the rest untouched",
    async run() {
      const doc = "/**\n * The area of a width × height rectangle.\n * @param width the rectangle's width\n * @param height the rectangle's height\n */\n";
      const fn = "export function area(width: number, height: number): number {\n  const product = width * height;\n  return product;\n}\n";
      const script = `\`\`\`ts\n${doc}${fn}\`\`\`\n`;
      const modelPath = await scriptedModelPath("ui-document", script);
      const settings = { ...modelSettings(modelPath), "freehold.completions.enabled": false, "freehold.model.threads": 1 };
      await withWorkbench({ name: "scripted-document", settings, files: { "src/geometry.ts": GEOMETRY } }, async (wb) => {
        const file = join(wb.workspace, "src/geometry.ts");
        await wb.step("file-open", () => wb.openFile("src/geometry.ts"));
        await wb.step("diff-shown", () => runFromContextMenu(wb, 3, 6, "Add Documentation", "const product"));
        await wb.step("accepted", async () => {
          await acceptInTitleBar(wb);
          await wb.page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
          await wb.page.keyboard.press("Control+S");
          await wb.waitFor(() => readFileSync(file, "utf8") !== GEOMETRY, 10_000, "the file is saved");
          assert.equal(readFileSync(file, "utf8"), GEOMETRY.replace(fn, doc + fn));
        });
      });
    },
  },
  {
    // Each role's text exact through the UI. That the ghost text comes WHILE the answer streams is proven (from the
    // chat's token stream) by the integration test test/suite/rolesOverlap.test.ts, not here.
    name: "scripted roles: a FIM model for completions and an instruct model for chat; the ghost text and the chat answer each exactly its own model's script",
    async run() {
      const completion = "a + b;";
      const answer = "## Sum\n\n- adds `a` and `b`\n\n```ts\nconst sum = a + b;\n```\n";
      const fimModel = await scriptedModelPath("ui-roles-fim", completion);
      const chatModel = await scriptedModelPath("ui-roles-chat", answer, { family: "none" });
      const source = "export function add(a: number, b: number): number {\n";
      // The role settings are machine-scoped (a workspace cannot choose the models), so they go in user settings.
      const userSettings = { "freehold.completions.model": fimModel, "freehold.chat.model": chatModel };
      const settings = { "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 2048, "freehold.model.threads": 1, "freehold.debug": true, ...GHOST_TEXT_SETTINGS };
      await withWorkbench({ name: "scripted-roles", settings, userSettings, files: { "src/add.ts": source } }, async (wb) => {
        const page = wb.page;
        await wb.step("file-open", async () => {
          await wb.openFile("src/add.ts");
          await page.keyboard.press("Control+End");
        });
        const chat = await wb.step("chat-asked", async () => {
          const chat = await openChat(wb);
          await chat.locator("#input").fill("Add a and b");
          await chat.locator("#input").press("Enter");
          return chat;
        });
        await wb.step("ghost-from-the-completion-model", async () => {
          await page.locator('.monaco-editor[data-uri$="/src/add.ts"] .view-lines').first().click();
          await page.keyboard.press("Control+End");
          await page.keyboard.type("  return ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()) === completion, 90_000, async () => `the ghost text is ${JSON.stringify(completion)} (it is ${JSON.stringify(await wb.ghostText())})`);
        });
        await wb.step("answer-from-the-chat-model", async () => {
          await chat.locator(".message.assistant pre code").waitFor({ timeout: 120_000 });
          await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 60_000, "the answer finishes");
          const body = chat.locator(".message.assistant .body").last();
          assert.equal(await body.locator("h2").textContent(), "Sum");
          assert.deepEqual(await body.locator("ul > li").allTextContents(), ["adds a and b"]);
          assert.equal(await body.locator("pre code").textContent(), "const sum = a + b;\n");
        });
        await wb.step("tab-and-tooltip", async () => {
          await page.locator('.monaco-editor[data-uri$="/src/add.ts"] .view-lines').first().click();
          await page.keyboard.press("End");
          if ((await wb.ghostText()) !== completion) {
            await page.keyboard.press("Alt+\\");
            await wb.waitFor(async () => (await wb.ghostText()) === completion, 60_000, "the ghost text is back");
          }
          await page.keyboard.press("Tab");
          await expectSavedFile(wb, "src/add.ts", `${source}  return ${completion}`, "Tab inserted exactly the completion model's script");
          const tooltip = await wb.statusTooltip();
          assert.match(tooltip, /Completions: scripted-ui-roles-fim\.gguf/);
          assert.match(tooltip, /Chat: scripted-ui-roles-chat\.gguf/);
          assert.equal(wb.freeholdLog().filter((l) => /no fill-in-the-middle tokens/.test(l)).length, 0, "no role problem: each model suits its role");
        });
      });
    },
  },
];
