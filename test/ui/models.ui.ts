// First run in the real editor: with no model configured the Freehold view shows the setup panel; it lists
// a GGUF model found in a search folder (identified from its header); choosing it loads it without a
// reload, the status bar shows it ready, the setup panel goes away and ghost text appears in a TS file.
import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FrameLocator } from "playwright-core";
import { EXTENSION_ID, GHOST_TEXT_SETTINGS, withWorkbench, type UiTest, type Workbench } from "./harness";

const SOURCE = `export function sum(values: number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

`;

/** The webview view whose page shows `heading` (the chat view and the setup view are both Freehold's). */
export async function webviewWithHeading(wb: Workbench, heading: string): Promise<FrameLocator> {
  const frames = wb.page.locator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`);
  let found: FrameLocator | undefined;
  await wb.waitFor(
    async () => {
      const count = await frames.count();
      for (let i = 0; i < count; i++) {
        const frame = frames.nth(i).contentFrame().frameLocator("#active-frame");
        if ((await frame.getByRole("heading", { name: heading }).count()) > 0) {
          found = frame;
          return true;
        }
      }
      return false;
    },
    60_000,
    `a Freehold webview shows the heading "${heading}"`,
  );
  return found!;
}

export const tests: UiTest[] = [
  {
    name: "first run shows the setup panel; choosing a model found on disk loads it and completions appear",
    async run({ modelPath }) {
      const searchFolder = mkdtempSync(join(tmpdir(), "freehold-ui-models-"));
      copyFileSync(modelPath, join(searchFolder, "tiny-coder.gguf"));
      const settings = {
        "freehold.model.searchPaths": [searchFolder],
        "freehold.model.gpuLayers": 0,
        "freehold.model.contextSize": 2048,
        "freehold.debug": true,
        ...GHOST_TEXT_SETTINGS,
      };
      try {
        await withWorkbench({ name: "models", settings, files: { "src/sum.ts": SOURCE } }, async (wb) => {
          const setup = await wb.step("setup-panel-shown", async () => {
            assert.match(await wb.waitForStatus(/.+/, 30_000), /Freehold: idle/);
            await wb.openViewContainer();
            return webviewWithHeading(wb, "Set up Freehold");
          });

          const use = await wb.step("model-found-on-disk", async () => {
            const button = setup.getByRole("button", { name: "Use tiny-coder.gguf for completions" });
            await button.waitFor({ state: "visible", timeout: 90_000 });
            const row = setup.locator("li.model", { hasText: "tiny-coder.gguf" });
            const facts = await row.innerText();
            assert.match(facts, /llama/, "identified from its header");
            assert.match(facts, /completions \(FIM\)/);
            assert.match(facts, /fits: needs .* with a 2048-token context/, "fit for the configured context size");
            await setup.getByRole("button", { name: /^Download / }).first().waitFor({ timeout: 10_000 });
            await setup.getByRole("button", { name: /Choose a GGUF file/ }).first().waitFor({ timeout: 10_000 });
            return button;
          });

          await wb.step("chosen-model-ready", async () => {
            await use.click();
            await wb.waitForStatus(/^ready( · \d+ ms)?$/, 120_000);
            assert.match(await wb.statusTooltip(), /tiny-coder\.gguf/);
          });

          await wb.step("setup-panel-gone", async () => {
            await wb.waitFor(async () => (await setup.getByRole("heading", { name: "Set up Freehold" }).count()) === 0, 30_000, "the setup panel is hidden once a model is configured");
          });

          await wb.step("ghost-text", async () => {
            await wb.openFile("src/sum.ts");
            await wb.page.keyboard.press("Control+End");
            await wb.page.keyboard.type("const result = ", { delay: 60 });
            await wb.waitFor(async () => (await wb.ghostText()).trim().length > 0, 90_000, "ghost text appears");
          });

          await wb.step("measured-speed-shown", async () => {
            await wb.page.keyboard.press("Escape");
            // The self-benchmark runs about 10 s after the first load; its result goes into the tooltip.
            await wb.waitFor(async () => /Measured here: [\d.]+ tokens\/s generated/.test(await wb.statusTooltip()), 120_000, "the tooltip shows the measured speed");
            assert.ok(wb.freeholdLog().some((l) => /\[models\] measured [\d.]+ tokens\/s generation/.test(l)));
          });
        });
      } finally {
        rmSync(searchFolder, { recursive: true, force: true });
      }
    },
  },
];
