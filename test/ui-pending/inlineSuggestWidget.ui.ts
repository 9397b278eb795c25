// Ghost text beside VS Code's suggest widget, with VS Code's default suggest settings: typing the start of an
// identifier opens the widget; Freehold completes as if the selected item were inserted, so its ghost text
// extends the item; Tab accepts the item and the ghost text into the document. The completion model is a scripted
// one (it answers every prompt with COMPLETION): a random-weight model's suggestion can begin with the very letters
// typed next, and VS Code then types through Freehold's ghost text instead of opening its suggest widget.
import * as assert from "node:assert/strict";
import { scriptedModelPath } from "../helpers/models";
import { GHOST_TEXT_SETTINGS, selectedSuggestion, withWorkbench, type UiTest } from "../ui/harness";

const COMPLETION = '("settings.json");';

const SOURCE = `import { readFile } from "node:fs/promises";

export async function loadConfiguration(path: string) {
  const text = await readFile(path, "utf8");
  return JSON.parse(text);
}

`;

export const tests: UiTest[] = [
  {
    name: "with the suggest widget open, ghost text extends the selected item and Tab accepts both",
    async run() {
      const modelPath = await scriptedModelPath("ui-suggest-widget", COMPLETION);
      const settings = {
        "freehold.completions.model": modelPath,
        "freehold.model.gpuLayers": 0,
        "freehold.model.contextSize": 2048,
        "freehold.debug": true,
        ...GHOST_TEXT_SETTINGS,
      };
      await withWorkbench({ name: "inline-suggest-widget", settings, files: { "src/config.ts": SOURCE } }, async (wb) => {
        const page = wb.page;
        const typed = "loadConf";
        await wb.step("model-ready", async () => {
          // First a suggestion without the widget, so the model is loaded and warm before the identifier is typed.
          await wb.openFile("src/config.ts");
          await page.keyboard.press("Control+End");
          await page.keyboard.type("export const loader = ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()).trim().length > 0, 90_000, "ghost text appears");
          await page.keyboard.press("Escape");
          await wb.waitFor(async () => (await wb.ghostText()) === "", 10_000, "the ghost text is hidden");
        });

        const shown = await wb.step("widget-and-ghost-text", async () => {
          await page.keyboard.type(typed, { delay: 150 });
          let item: string | undefined;
          let ghost = "";
          await wb.waitFor(
            async () => {
              item = await selectedSuggestion(page);
              ghost = await wb.ghostText();
              return item !== undefined && item.startsWith(typed) && ghost.length > item.length - typed.length;
            },
            90_000,
            async () => `the suggest widget is open and ghost text extends its selected item (item ${JSON.stringify(await selectedSuggestion(page))}, ghost text ${JSON.stringify(await wb.ghostText())})`,
          );
          assert.ok(ghost.startsWith(item!.slice(typed.length)), `the ghost text ${JSON.stringify(ghost)} continues the selected item ${JSON.stringify(item)}`);
          assert.equal(ghost, `${item!.slice(typed.length)}${COMPLETION}`, "the ghost text is the rest of the item, then the completion model's answer");
          assert.ok(wb.freeholdLog().some((l) => /\[completion\] .*beside the suggest widget's item/.test(l)), "the completion was asked for with the selected item inserted");
          return { item: item!, ghost };
        });

        await wb.step("tab-accepts", async () => {
          await page.keyboard.press("Tab");
          // The first Tab accepts the widget's item; if the ghost text is still shown, the next one accepts it.
          await page.waitForTimeout(500);
          if ((await wb.ghostText()).length > 0) await page.keyboard.press("Tab");
          await wb.waitFor(async () => (await wb.ghostText()) === "" && (await selectedSuggestion(page)) === undefined, 10_000, "the ghost text and the widget are gone");
          const lines = await wb.editorLines();
          const last = lines.filter((l) => l.trim()).at(-1) ?? "";
          assert.equal(last.trimEnd(), `export const loader = ${typed}${shown.ghost}`.trimEnd(), "the item and the ghost text are in the document");
        });
      });
    },
  },
];
