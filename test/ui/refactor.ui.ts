// Right-click refactor in the real editor: select a function, Freehold → Refactor from the editor's context
// menu, the model's rewrite appears as a diff; Accept changes the file and one Undo restores it; a second run
// rejected leaves the file as it was. The tiny model writes nonsense, so the checks are about the file changing.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFromContextMenu } from "./contextMenu";
import { withWorkbench, type UiTest, type Workbench } from "./harness";

const SOURCE = `// Geometry helpers.

export function area(width: number, height: number): number {
  const product = width * height;
  return product;
}

export const unit = area(1, 1);
`;
const FILE = "src/geometry.ts";
const ORIGINAL_LINES = SOURCE.split("\n").slice(0, -1);

/** Lines of the editor showing the source file (not the diff), trailing blanks dropped. */
async function fileLines(wb: Workbench): Promise<string[]> {
  const lines = await wb.editorLines();
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

async function clickTitleAction(wb: Workbench, label: string): Promise<void> {
  await wb.page.locator(`.editor-group-container.active .editor-actions .action-label[aria-label^="${label}"]`).first().click();
  await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor:visible").count()) === 0, 20_000, "the diff closes");
}

export const tests: UiTest[] = [
  {
    name: "right-click Freehold → Refactor shows a diff; Accept changes the file, Undo restores it; Reject leaves it",
    async run({ modelPath }) {
      const settings = {
        "freehold.completions.model": modelPath,
        "freehold.model.gpuLayers": 0,
        "freehold.model.contextSize": 2048,
        // One thread: on a loaded 2-core machine two llama.cpp threads wait on each other.
        "freehold.model.threads": 1,
        "freehold.completions.enabled": false,
        "files.autoSave": "off",
      };
      await withWorkbench({ name: "refactor", settings, files: { [FILE]: SOURCE } }, async (wb) => {
        await wb.step("file-open", async () => {
          await wb.openFile(FILE);
          assert.deepEqual(await fileLines(wb), ORIGINAL_LINES);
        });
        await wb.step("diff-shown", () => runFromContextMenu(wb, 3, 6, "Refactor", "const product"));
        await wb.step("accepted", async () => {
          await clickTitleAction(wb, "Accept Proposed Change");
          await wb.waitFor(async () => JSON.stringify(await fileLines(wb)) !== JSON.stringify(ORIGINAL_LINES), 20_000, "the file changed");
          const lines = await fileLines(wb);
          assert.deepEqual(lines.slice(0, 2), ORIGINAL_LINES.slice(0, 2), "the lines before the function are kept");
          assert.deepEqual(lines.slice(-2), ORIGINAL_LINES.slice(-2), "the lines after the function are kept");
        });
        await wb.step("undone", async () => {
          await wb.page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
          await wb.page.keyboard.press("Control+Z");
          await wb.waitFor(async () => JSON.stringify(await fileLines(wb)) === JSON.stringify(ORIGINAL_LINES), 20_000, "one undo restores the file");
        });
        await wb.step("second-diff-shown", () => runFromContextMenu(wb, 3, 6, "Refactor", "const product"));
        await wb.step("rejected", async () => {
          await clickTitleAction(wb, "Reject Proposed Change");
          assert.deepEqual(await fileLines(wb), ORIGINAL_LINES, "Reject leaves the file untouched");
          const tab = wb.page.locator(".tabs-container .tab", { hasText: "geometry.ts" }).first();
          assert.ok(!/dirty/.test((await tab.getAttribute("class")) ?? ""), "the file is not even dirty");
        });
      });
    },
  },
  {
    name: "in an untrusted workspace Run Prompt… lists the user's prompt files but not the workspace's",
    async run() {
      const userFolder = mkdtempSync(join(tmpdir(), "freehold-user-prompts-"));
      writeFileSync(join(userFolder, "mine.prompt"), "---\ntitle: My own prompt\nmode: chat\n---\nExplain {{selection}}\n");
      const workspacePrompt = "---\ntitle: Workspace prompt\nmode: chat\n---\nExplain {{selection}}\n";
      try {
        await withWorkbench(
          {
            name: "refactor-untrusted",
            workspaceTrust: true,
            userSettings: {
              "security.workspace.trust.enabled": true,
              "security.workspace.trust.startupPrompt": "never",
              "security.workspace.trust.banner": "never",
              "freehold.prompts.userFolder": userFolder,
            },
            files: { "a.ts": "export const a = 1;\n", ".freehold/prompts/team.prompt": workspacePrompt },
          },
          async (wb) => {
            const page = wb.page;
            await wb.step("restricted-mode", async () => {
              await wb.waitFor(() => wb.freeholdLog().some((l) => /prompts: \d+ loaded/.test(l)), 60_000, "Freehold read its prompt folders");
              const loaded = wb.freeholdLog().filter((l) => /prompts: \d+ loaded/.test(l)).at(-1)!;
              assert.match(loaded, /prompts: 1 loaded/, loaded);
              assert.ok(!loaded.includes(".freehold"), `the workspace folder is not read: ${loaded}`);
            });
            await wb.step("quick-pick", async () => {
              await wb.openFile("a.ts");
              await page.keyboard.press("Control+Shift+P");
              const input = page.locator(".quick-input-widget input");
              await input.waitFor({ state: "visible", timeout: 20_000 });
              await input.fill(">Freehold: Run Prompt");
              await page.locator(".quick-input-list .monaco-list-row", { hasText: "Run Prompt" }).first().waitFor({ timeout: 20_000 });
              await page.keyboard.press("Enter");
              await page.locator(".quick-input-list .monaco-list-row", { hasText: "Open the prompts folder" }).first().waitFor({ timeout: 20_000 });
              const rows = (await page.locator(".quick-input-list .monaco-list-row").allInnerTexts()).join("\n");
              assert.match(rows, /My own prompt/);
              assert.doesNotMatch(rows, /Workspace prompt/);
              await page.keyboard.press("Escape");
            });
          },
        );
      } finally {
        rmSync(userFolder, { recursive: true, force: true });
      }
    },
  },
];
