// UI smoke: Freehold activates in a real VS Code, its view opens from the activity-bar icon, and opening it
// starts the worker, which loads the model from freehold.completions.model: the status bar ends at "Freehold: ready".
import * as assert from "node:assert/strict";
import { basename } from "node:path";
import { withWorkbench, type UiTest } from "./harness";

export const tests: UiTest[] = [
  {
    name: "the Freehold view opens from its activity-bar icon and the status bar shows the model ready",
    vsix: true,
    async run({ modelPath, vsix }) {
      const settings = { "freehold.completions.model": modelPath, "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 1024 };
      await withWorkbench({ name: vsix ? "vsix-smoke" : "smoke", vsix, settings, files: { "hello.ts": "export const greeting = 'hello';\n" } }, async (wb) => {
        await wb.step("status-idle", async () => {
          const text = await wb.waitForStatus(/.+/, 30_000);
          assert.match(text, /Freehold: idle/, "the worker starts on first use, not at activation");
        });
        await wb.step("view-opens", async () => {
          await wb.openViewContainer();
          await wb.page.locator(".part.sidebar .composite.title", { hasText: /freehold/i }).waitFor({ timeout: 30_000 });
          await wb.webview().locator("body *").first().waitFor({ state: "visible", timeout: 30_000 });
        });
        await wb.step("model-ready", async () => {
          await wb.waitForStatus(/^ready( · \d+ ms)?$/, 90_000);
        });
        await wb.step("tooltip-names-model", async () => {
          assert.match(await wb.statusTooltip(), new RegExp(basename(modelPath).replace(/\./g, "\\.")));
        });
      });
    },
  },
];
