// Workspace Trust in the real editor: a cloned repository whose .vscode/settings.json points Freehold at a GGUF
// file it carries (and asks for a huge context and 64 threads) opens in Restricted Mode. Freehold says once that
// it ignores the workspace's model settings, loads the user's own model, and the repository's model file is
// never opened by any process (checked in /proc: no mapping, no open descriptor), while completions still work
// from the user's model (the worker's report in the status bar's tooltip).
import * as assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { editorThreads } from "../../src/engine/editorThreads";
import { runCommand } from "./chatHelpers";
import { GHOST_TEXT_SETTINGS, withWorkbench, type UiTest } from "./harness";

/** Pids of processes that have `file` mapped into memory or open. */
export function processesHolding(file: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/maps`, "utf8").includes(file)) {
        pids.push(Number(entry));
        continue;
      }
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === file) {
          pids.push(Number(entry));
          break;
        }
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const RESTRICTED_NOTICE = /Freehold: this workspace is in Restricted Mode/;

export const tests: UiTest[] = [
  {
    name: "trust: in Restricted Mode the workspace's model settings are ignored (said once); its model file is never loaded",
    async run({ modelPath }) {
      const userFolder = mkdtempSync(join(tmpdir(), "freehold-ui-user-model-"));
      const userModel = join(userFolder, "user-model.gguf");
      copyFileSync(modelPath, userModel);
      const hostileSettings = {
        "freehold.completions.model": "${workspaceFolder}/models/repo-model.gguf",
        "freehold.model.path": "${workspaceFolder}/models/repo-model.gguf",
        "freehold.chat.model": "models/repo-model.gguf",
        "freehold.chat.modelPath": "models/repo-model.gguf",
        "freehold.model.searchPaths": ["${workspaceFolder}/models"],
        "freehold.model.contextSize": 65536,
        "freehold.model.threads": 64,
        "freehold.debug": true,
        ...GHOST_TEXT_SETTINGS,
      };
      try {
        await withWorkbench(
          {
            name: "trust",
            // Written as the repository has it: the harness does not move anything out of this file.
            files: { ".vscode/settings.json": JSON.stringify(hostileSettings, null, 2), "src/app.ts": "export function double(x: number) {\n  return x * 2;\n}\n\n" },
            userSettings: {
              "freehold.completions.model": userModel,
              "freehold.model.gpuLayers": 0,
              "security.workspace.trust.enabled": true,
              "security.workspace.trust.startupPrompt": "never",
              "security.workspace.trust.banner": "never",
            },
            workspaceTrust: true,
          },
          async (wb) => {
            const repoModel = join(wb.workspace, "models", "repo-model.gguf");
            mkdirSync(join(wb.workspace, "models"), { recursive: true });
            copyFileSync(modelPath, repoModel);

            await wb.step("restricted-notice", async () => {
              await wb.waitFor(() => wb.freeholdLog().some((l) => /Restricted Mode: ignoring/.test(l)), 60_000, "Freehold logs what it ignores");
              await runCommand(wb, "Notifications: Show Notifications");
              await wb.page.locator(".notifications-center .monaco-list-row", { hasText: RESTRICTED_NOTICE }).first().waitFor({ timeout: 20_000 });
              await runCommand(wb, "Notifications: Hide Notifications");
            });

            await wb.step("user-model-serves-completions", async () => {
              await wb.openFile("src/app.ts");
              await wb.page.keyboard.press("Control+End");
              await wb.page.keyboard.type("export const ", { delay: 60 });
              await wb.page.keyboard.press("Alt+Backslash");
              await wb.waitForStatus(/ready|generating/, 120_000);
              await wb.waitFor(async () => (await wb.ghostText()).trim().length > 0, 120_000, "ghost text appears (from the user's model)");
              // On the CPU the worker reads the model file and closes it (it is not mapped), so the worker's own
              // report says which file it loaded.
              const tooltip = await wb.statusTooltip();
              assert.match(tooltip, /Completions: user-model\.gguf \(/, `the worker loaded the user's model:\n${tooltip}`);
            });

            await wb.step("repo-model-never-loaded", async () => {
              // Ask for the model again through the chat and the models list: nothing may reach the repository's file.
              await wb.page.keyboard.press("Escape");
              assert.deepEqual(processesHolding(repoModel), [], "no process has the repository's model open or mapped");
              const log = wb.freeholdLog();
              assert.ok(log.some((l) => /Restricted Mode: ignoring/.test(l)), "the log says what was ignored");
              assert.ok(!log.some((l) => /repo-model\.gguf/.test(l) && !/Restricted Mode: ignoring/.test(l)), `the repository's model appears only as ignored:\n${log.filter((l) => l.includes("repo-model")).join("\n")}`);
              const used = log.filter((l) => l.includes("model settings:"));
              assert.ok(used.length > 0 && used.every((l) => l.includes(userModel) && l.includes(`context 4096, threads ${editorThreads()},`)), `the user's model with default resources (threads: one per core but one, not the workspace's 64):\n${used.join("\n")}`);
              // The notification centre keeps every notification, also toasts that have hidden again.
              await runCommand(wb, "Notifications: Show Notifications");
              const rows = wb.page.locator(".notifications-center .monaco-list-row");
              await rows.first().waitFor({ timeout: 10_000 });
              assert.equal(await rows.filter({ hasText: RESTRICTED_NOTICE }).count(), 1, "the notice is shown once");
            });
          },
        );
      } finally {
        rmSync(userFolder, { recursive: true, force: true });
      }
    },
  },
];
