// The Set Up view's memory plan for two models by role, in a real situation: a scripted FIM model for
// completions and a scripted instruct model for chat, with a memory budget (freehold.model.memoryBudgetMB) that
// holds either model alone but not both. The view and the status bar say they do not fit together and the view
// offers the three choices; each choice does what it says: "Choose a smaller chat model" opens the chat model
// picker, "Load the chat model only when asked" shortens the chat model's idle time only, "Use one model for
// completions and chat" clears the chat model, after which the plan fits and offers nothing.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ModelsReport } from "../../src/models/report";
import { scriptedModelPath } from "../helpers/models";
import { ROOT, withWorkbench, type UiTest, type Workbench } from "./harness";
import { runCommand } from "./chatHelpers";
import { webviewWithHeading } from "./models.ui";

const MB = 1048576;
const CONTEXT_SIZE = 2048;

/** Each model's RAM need as `freehold models` assesses it (the same CLI the Set Up view runs). */
function ramNeeds(folder: string): Record<string, number> {
  const run = spawnSync(process.execPath, [join(ROOT, "bin", "freehold.mjs"), "models", "--json", "--search-path", folder, "--context-size", String(CONTEXT_SIZE), "--gpu-layers", "0"], { encoding: "utf8", timeout: 120_000, cwd: folder });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as ModelsReport;
  return Object.fromEntries(report.models.filter((m) => m.path.startsWith(folder) && m.fit).map((m) => [m.name, m.fit!.ramBytes]));
}

/** The user-level settings files the server keeps (user and remote machine), merged; a later file wins. */
function savedSettings(wb: Workbench): Record<string, unknown> {
  const files = [join(wb.server.userDataDir, "User", "settings.json"), join(wb.server.userDataDir, "Machine", "settings.json")];
  return Object.assign({}, ...files.filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>));
}

export const tests: UiTest[] = [
  {
    name: "Set Up view: two models that do not fit together (memory budget) show the plan and its three choices; each choice changes the settings accordingly",
    async run() {
      const folder = mkdtempSync(join(tmpdir(), "freehold-ui-plan-"));
      const fim = resolve(folder, "plan-fim.gguf");
      const chat = resolve(folder, "plan-chat.gguf");
      copyFileSync(await scriptedModelPath("ui-plan-fim", "a + b;"), fim);
      copyFileSync(await scriptedModelPath("ui-plan-chat", "## Sum\n\nAdd them.\n", { family: "none" }), chat);
      try {
        const needs = ramNeeds(folder);
        const [fimNeed, chatNeed] = [needs["plan-fim.gguf"], needs["plan-chat.gguf"]];
        assert.ok(fimNeed > 0 && chatNeed > 0, `both assessed: ${JSON.stringify(needs)}`);
        // Either alone fits with room to spare (below 80%: "fits", not "tight"); both together do not.
        const budgetMb = Math.ceil((Math.max(fimNeed, chatNeed) * 1.3) / MB);
        assert.ok(budgetMb * MB < fimNeed + chatNeed, `a ${budgetMb} MB budget is below both together (${fimNeed + chatNeed} bytes)`);

        const userSettings = { "freehold.completions.model": fim, "freehold.chat.model": chat };
        // Completions off: nothing here is about ghost text, and no keystroke should load or move a model.
        const settings = { "freehold.model.gpuLayers": 0, "freehold.model.contextSize": CONTEXT_SIZE, "freehold.model.memoryBudgetMB": budgetMb, "freehold.completions.enabled": false, "freehold.debug": true };
        await withWorkbench({ name: "setup-memory", settings, userSettings }, async (wb) => {
          const setup = await wb.step("plan-shown", async () => {
            await runCommand(wb, "Freehold: Set Up Models");
            const setup = await webviewWithHeading(wb, "Set up Freehold");
            const plan = setup.locator(".plan");
            await plan.waitFor({ timeout: 120_000 });
            assert.match(await setup.locator(".machine").innerText(), new RegExp(`This machine: ${budgetMb} MB of .* RAM free`), "the machine line is within the budget");
            assert.equal(await plan.getAttribute("class"), "plan level-too-big");
            assert.match(await plan.locator("p").innerText(), /^Do not fit together: plan-fim\.gguf \(completions, \d+ MB\) and plan-chat\.gguf \(chat, \d+ MB\) need \d+ MB RAM, \d+ MB free\.$/);
            assert.deepEqual(await plan.locator("ul.choices button").allInnerTexts(), [
              "Choose a smaller chat model",
              "Load the chat model only when asked (unloaded after the idle time)",
              "Use one model for completions and chat",
            ]);
            await wb.waitFor(async () => /Do not fit together: .* Open the Set Up view for choices\./.test(await wb.statusTooltip()), 30_000, "the status bar's tooltip says so too");
            return setup;
          });

          await wb.step("smaller-chat-model-opens-the-chat-picker", async () => {
            await setup.getByRole("button", { name: "Choose a smaller chat model" }).click();
            const title = wb.page.locator(".quick-input-widget .quick-input-title");
            await wb.waitFor(async () => (await title.innerText().catch(() => "")) === "Freehold: model for chat", 20_000, "the chat model picker opens");
            await wb.page.keyboard.press("Escape");
            assert.equal(savedSettings(wb)["freehold.chat.model"], chat, "closing the picker changes nothing");
          });

          await wb.step("chat-on-demand-shortens-only-the-chat-idle-time", async () => {
            await setup.getByRole("button", { name: "Load the chat model only when asked (unloaded after the idle time)" }).click();
            await wb.waitFor(() => wb.freeholdLog().some((l) => l.includes("[models] chat on demand: freehold.chat.idleUnloadMinutes = 2")), 20_000, "the choice is logged");
            // The notification centre lists the notice (its toast may have hidden already).
            await runCommand(wb, "Notifications: Show Notifications");
            await wb.page
              .locator(".notifications-center .monaco-list-row", { hasText: "the chat model now loads when you ask something and unloads after 2 idle minutes (freehold.chat.idleUnloadMinutes: 2); the completion model keeps its own (freehold.model.idleUnloadMinutes: 15)" })
              .first()
              .waitFor({ timeout: 20_000 });
            await runCommand(wb, "Notifications: Hide Notifications");
            await wb.waitFor(() => savedSettings(wb)["freehold.chat.idleUnloadMinutes"] === 2, 10_000, () => Promise.resolve(`freehold.chat.idleUnloadMinutes is 2 in the user settings (${JSON.stringify(savedSettings(wb))})`));
            assert.equal(savedSettings(wb)["freehold.model.idleUnloadMinutes"], undefined, "the shared idle time (the completion model's) is untouched");
            assert.equal(savedSettings(wb)["freehold.chat.model"], chat, "the chat model stays");
          });

          await wb.step("one-model-for-both-clears-the-chat-model", async () => {
            await setup.getByRole("button", { name: "Use one model for completions and chat" }).click();
            await wb.waitFor(() => savedSettings(wb)["freehold.chat.model"] === "", 10_000, () => Promise.resolve(`freehold.chat.model is cleared (${JSON.stringify(savedSettings(wb))})`));
            assert.equal(savedSettings(wb)["freehold.completions.model"], fim, "the completion model stays");
            const plan = setup.locator(".plan");
            await wb.waitFor(async () => (await plan.getAttribute("class").catch(() => "")) === "plan level-fits", 30_000, "the plan now fits");
            assert.match(await plan.locator("p").innerText(), /^Fit together: plan-fim\.gguf \(completions and chat\) need \d+ MB RAM, \d+ MB free\.$/);
            assert.equal(await plan.locator("ul.choices button").count(), 0, "no choices offered");
            assert.equal(await setup.locator("#same").isChecked(), true, "“Use one model for completions and chat” is ticked");
            assert.equal(await setup.getByRole("heading", { name: "Model for completions and chat" }).count(), 1);
            await wb.waitFor(async () => !/Do not fit together/.test(await wb.statusTooltip()), 30_000, "the tooltip no longer says they do not fit");
          });
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  },
];
