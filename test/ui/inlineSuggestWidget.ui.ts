// Ghost text beside VS Code's suggest widget: with the widget open, Freehold completes as if the selected item were
// inserted, so its ghost text extends the item; Tab accepts the item and the ghost text into the document.
// Two ways the widget opens, each a test:
//  - VS Code's default settings: `editor.quickSuggestions` is `{ other: "offWhenInlineCompletions" }`, so while
//    Freehold's ghost text is shown the widget stays closed as letters are typed (VS Code's own choice), and the
//    user opens it with Ctrl+Space;
//  - `editor.quickSuggestions.other: "on"` (the default of older VS Code versions, and a common user setting): the
//    widget opens on letters by itself. The completion model is a scripted
// one (it answers every prompt with COMPLETION): a random-weight model's suggestion can begin with the very letters
// typed next, and VS Code then types through Freehold's ghost text instead of opening its suggest widget.
import * as assert from "node:assert/strict";
import { scriptedModelPath } from "../helpers/models";
import { GHOST_TEXT_SETTINGS, modelSettings, selectedSuggestion, withWorkbench, type UiTest } from "./harness";

const COMPLETION = '("settings.json");';

const SOURCE = `import { readFile } from "node:fs/promises";

export async function loadConfiguration(path: string) {
  const text = await readFile(path, "utf8");
  return JSON.parse(text);
}

`;

type WidgetOpening = "ctrl-space" | "on-letters";

async function ghostTextExtendsSelectedItem(name: string, opening: WidgetOpening, extraSettings: Record<string, unknown>): Promise<void> {
  const modelPath = await scriptedModelPath("ui-suggest-widget", COMPLETION);
  const settings = { ...modelSettings(modelPath), ...GHOST_TEXT_SETTINGS, ...extraSettings };
  await withWorkbench({ name, settings, files: { "src/config.ts": SOURCE } }, async (wb) => {
    const page = wb.page;
    const typed = "loadConf";
    await wb.step("model-ready", async () => {
      // First a suggestion without the widget, so the model is loaded and warm before the identifier is typed.
      await wb.openFile("src/config.ts");
      await page.keyboard.press("Control+End");
      await page.keyboard.type("export const loader = ", { delay: 60 });
      // A slow first answer (the model loading) can come after the widget has opened on the typed letters: the ghost
      // text then extends its selected item, which shows the scripted model answered all the same.
      await wb.waitFor(async () => (await wb.ghostText()).endsWith(COMPLETION), 90_000, async () => `the scripted ghost text appears (ghost text ${JSON.stringify(await wb.ghostText())})`);
      // Escape closes the widget first, if it is open, then the ghost text.
      await wb.waitFor(
        async () => {
          if ((await wb.ghostText()) === "" && (await selectedSuggestion(page)) === undefined) return true;
          await page.keyboard.press("Escape");
          return false;
        },
        10_000,
        "the ghost text and the widget are hidden",
      );
    });

    if (opening === "ctrl-space") {
      await wb.step("ghost-text-while-typing", async () => {
        // With the widget closed, ghost text completes the typed letters as they are.
        await page.keyboard.type(typed, { delay: 150 });
        await wb.waitFor(async () => (await wb.ghostText()) === COMPLETION, 90_000, async () => `ghost text after the typed letters (ghost text ${JSON.stringify(await wb.ghostText())}, widget item ${JSON.stringify(await selectedSuggestion(page))})`);
        await page.keyboard.press("Control+Space");
      });
    } else {
      await page.keyboard.type(typed, { delay: 150 });
    }

    const shown = await wb.step("widget-and-ghost-text", async () => {
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
      assert.equal(ghost, `${item!.slice(typed.length)}${COMPLETION}`, "the ghost text is the rest of the selected item, then the completion model's answer");
      assert.ok(wb.freeholdLog().some((l) => /\[completion\] .*beside the suggest widget's item/.test(l)), "the completion was asked for with the selected item inserted");
      return { item: item!, ghost };
    });

    await wb.step("tab-accepts", async () => {
      // The file on disk is compared, not the editor's lines: once both are accepted, the speculative prefetch may
      // show the next suggestion as ghost text on the same line at once.
      const lastLine = async () => (await wb.savedText("src/config.ts")).trimEnd().split("\n").at(-1)!.trimEnd();
      const both = `export const loader = ${typed}${shown.ghost}`.trimEnd();
      const itemOnly = `export const loader = ${shown.item}`;
      await page.keyboard.press("Tab");
      let line = "";
      await wb.waitFor(async () => [both, itemOnly].includes((line = await lastLine())), 10_000, async () => `Tab accepted the item, or the item and the ghost text (the line is ${JSON.stringify(line)})`);
      // The first Tab accepted the widget's item only: the next one accepts the ghost text that extends it.
      if (line === itemOnly) {
        await page.keyboard.press("Tab");
        await wb.waitFor(async () => (line = await lastLine()) === both, 10_000, async () => `the second Tab accepted the ghost text (the line is ${JSON.stringify(line)})`);
      }
      assert.equal(line, both, "the item and the ghost text are in the document");
      assert.equal(await selectedSuggestion(page), undefined, "the widget is closed");
    });
  });
}

export const tests: UiTest[] = [
  {
    name: "default settings: ghost text while typing; Ctrl+Space opens the widget, ghost text extends its selected item, Tab accepts both",
    run: () => ghostTextExtendsSelectedItem("inline-suggest-widget", "ctrl-space", {}),
  },
  {
    // Not VS Code's default (see the top of the file): the widget opening on letters by itself is what users of
    // older VS Code versions and of this common setting have.
    name: "quickSuggestions on: the widget opens on letters, ghost text extends its selected item, Tab accepts both",
    run: () => ghostTextExtendsSelectedItem("inline-suggest-widget-on-letters", "on-letters", { "editor.quickSuggestions": { other: "on", comments: "off", strings: "off" } }),
  },
];
