// UI smoke test: the Freehold view opens from the activity bar and the status bar shows the model ready.
import assert from "node:assert/strict";
import { openWorkbench } from "./harness.mjs";

export const tests = [
  {
    name: "the Freehold view opens and the status bar shows the model ready",
    vsix: true,
    async run({ modelPath, vsix }) {
      const wb = await openWorkbench({
        name: vsix ? "vsix-smoke" : "smoke",
        vsix,
        settings: { "freehold.model.path": modelPath, "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 1024 },
        files: { "hello.ts": "export const greeting = 'hello';\n" },
      });
      try {
        assert.match(await wb.statusText(), /Freehold: idle/, "idle until first use");
        await wb.page.locator('.activitybar .action-label[aria-label^="Freehold"]').click();
        const frame = wb.page.frameLocator('iframe.webview[src*="extensionId=freehold.freehold"]').frameLocator("#active-frame");
        await frame.locator("#input").waitFor({ state: "visible", timeout: 30_000 });
        await wb.waitFor(async () => /Freehold: ready/.test(await wb.statusText()), 60_000, "the status bar shows Freehold: ready");
        await wb.waitFor(async () => /ready/.test(await frame.locator("#status").innerText()), 10_000, "the chat view shows the model ready");
        await wb.screenshot("ready");
      } catch (error) {
        await wb.screenshot("failure");
        throw error;
      } finally {
        await wb.close();
      }
    },
  },
];
