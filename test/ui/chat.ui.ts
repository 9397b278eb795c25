// The chat view in the real editor: a streamed answer from the tiny model grows token by token, Stop ends it,
// the conversation is still there after a window reload; Apply on a code block shows a diff, Accept changes the
// file and one undo reverts it. The code block comes from a seeded history (FREEHOLD_TEST_CHAT_SEED, read by the
// test-only hook in src/vscode/chat/testHooks.ts), because the tiny model writes random text.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { withWorkbench, ACTIVATED_LINE, type UiTest } from "./harness";
import { conversation, openChat, runCommand, withChatSeed } from "./chatHelpers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const baseSettings = (modelPath: string) => ({
  "freehold.completions.model": modelPath,
  "freehold.model.gpuLayers": 0,
  "freehold.model.contextSize": 2048,
  // Long enough that the answer is still streaming when the test presses Stop.
  "freehold.chat.maxTokens": 100000,
});

export const tests: UiTest[] = [
  {
    name: "chat: a streamed reply grows token by token, Stop ends it, the conversation survives a window reload",
    async run({ modelPath }) {
      await withWorkbench({ name: "chat-stream", settings: baseSettings(modelPath), files: { "a.ts": "export const a = 1;\n" } }, async (wb) => {
        const question = "Tell me about this project, please";
        let chat = await wb.step("view-opens", () => openChat(wb));

        const lengths = await wb.step("reply-streams", async () => {
          await chat.locator("#input").fill(question);
          await chat.locator("#input").press("Enter");
          await chat.locator(".message.user", { hasText: question }).waitFor({ timeout: 30_000 });
          const reply = chat.locator(".message.assistant.streaming .body");
          await reply.waitFor({ timeout: 90_000 });
          // Sample the DOM text while it streams: it must grow over several samples, not appear at once.
          const seen: number[] = [];
          const deadline = Date.now() + 90_000;
          while (Date.now() < deadline && new Set(seen.filter((n) => n > 0)).size < 4) {
            const text = await reply.innerText({ timeout: 5_000 }).catch(() => "");
            if (text.length > (seen.at(-1) ?? 0)) seen.push(text.length);
            await sleep(60);
          }
          assert.ok(new Set(seen.filter((n) => n > 0)).size >= 4, `the reply grew over at least 4 samples: ${seen.join(", ")}`);
          assert.ok(await chat.locator(".message.assistant.streaming").count(), "still streaming when Stop is pressed");
          return seen;
        });

        const stoppedText = await wb.step("stop", async () => {
          await chat.locator("#stop").click();
          await chat.locator(".message.assistant .note.stopped").waitFor({ timeout: 30_000 });
          assert.equal(await chat.locator(".message.assistant.streaming").count(), 0, "no longer streaming");
          const text = await chat.locator(".message.assistant .body").last().innerText();
          assert.ok(text.length >= lengths.at(-1)!, "the partial answer stays");
          await sleep(1500);
          assert.equal(await chat.locator(".message.assistant .body").last().innerText(), text, "the reply stopped growing");
          await wb.waitForStatus(/^ready( · \d+ ms)?$/, 30_000);
          return text;
        });

        await wb.step("keyboard", async () => {
          const input = chat.locator("#input");
          await input.click();
          await input.press("ArrowUp");
          assert.equal(await input.inputValue(), question, "Up recalls the last message");
          await input.fill("");
          await input.type("first line");
          await input.press("Shift+Enter");
          await input.type("second line");
          assert.equal(await input.inputValue(), "first line\nsecond line", "Shift+Enter adds a line");
          assert.equal(await chat.locator(".message.user").count(), 1, "and sends nothing");
          await input.fill("");
        });

        await wb.step("survives-reload", async () => {
          const activations = wb.consoleLines.filter((l) => l.includes(ACTIVATED_LINE)).length;
          await wb.page.reload();
          await wb.page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
          await wb.waitFor(() => wb.consoleLines.filter((l) => l.includes(ACTIVATED_LINE)).length > activations, 90_000, "Freehold activates again after the reload");
          chat = wb.webview();
          // The view was open before the reload, so VS Code restores it; open it only if it did not come back.
          const restored = await chat.locator("#input").waitFor({ state: "visible", timeout: 30_000 }).then(() => true, () => false);
          if (!restored) chat = await openChat(wb);
          await chat.locator(".message.user", { hasText: question }).waitFor({ timeout: 60_000 });
          const answer = await chat.locator(".message.assistant .body").last().innerText();
          assert.equal(answer.trim(), stoppedText.trim(), "the stopped answer was kept");
          assert.equal(await chat.locator(".message.assistant .note.stopped").count(), 1);
          const selected = await chat.locator("#conversations").evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? "");
          assert.equal(selected, question);
        });
      });
    },
  },
  {
    name: "chat: Apply on a code block shows a diff, Accept changes the file, one undo reverts it",
    async run({ modelPath }) {
      const seeded = conversation("seeded-apply", "Make it 42", [
        { role: "user", text: "Make the answer 42" },
        { role: "assistant", text: "Here it is:\n\n```ts\nexport const answer = 42;\nexport const question = \"?\";\n```\n\nOr:\n\n```ts\nexport const answer = 43;\n```\n" },
      ]);
      const original = "export const answer = 1;\n";
      await withChatSeed([seeded], seeded.id, () =>
        withWorkbench({ name: "chat-apply", settings: baseSettings(modelPath), files: { "src/answer.ts": original } }, async (wb) => {
          const file = join(wb.workspace, "src/answer.ts");
          await wb.step("file-open", () => wb.openFile("src/answer.ts"));
          const chat = await wb.step("seeded-answer-shown", async () => {
            const chat = await openChat(wb);
            await chat.locator("pre code", { hasText: "export const answer = 42;" }).waitFor({ timeout: 30_000 });
            // highlighted offline: highlight.js marked the keywords
            assert.ok(await chat.locator("pre code .hljs-keyword").count(), "the code block is highlighted");
            return chat;
          });
          await wb.step("selection-chip", async () => {
            // The editor's selection is attached automatically as a removable chip.
            await wb.page.locator(`.monaco-editor[data-uri$="/src/answer.ts"] .view-lines`).first().click();
            await wb.page.keyboard.press("Control+A");
            const chip = chat.locator("#chips .chip.selection");
            await chip.waitFor({ timeout: 10_000 });
            assert.equal((await chip.innerText()).trim(), "src/answer.ts:1");
            await chip.locator("button.remove").click();
            await wb.waitFor(async () => (await chat.locator("#chips .chip").count()) === 0, 10_000, "the removed chip is gone");
            await wb.page.locator(`.monaco-editor[data-uri$="/src/answer.ts"] .view-lines`).first().click();
            await wb.page.keyboard.press("Control+End");
          });
          await wb.step("apply-shows-diff", async () => {
            await chat.locator("pre").first().hover();
            await chat.locator('pre button[data-action="apply"]').first().click();
            await wb.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
            await wb.page.locator(".tab", { hasText: "Freehold: Apply" }).first().waitFor({ timeout: 10_000 });
            assert.equal(readFileSync(file, "utf8"), original, "nothing changed before Accept");
          });
          await wb.step("accept-changes-file", async () => {
            await runCommand(wb, "Freehold: Accept Proposed Change");
            await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor").count()) === 0, 20_000, "the diff closes after Accept");
            await wb.waitFor(async () => (await wb.editorLines()).some((l) => l.includes("answer = 42")), 20_000, "the editor shows the applied code");
            assert.deepEqual((await wb.editorLines()).filter((l) => l.trim()), ["export const answer = 42;", 'export const question = "?";']);
          });
          await wb.step("one-undo-reverts", async () => {
            await wb.page.locator(`.monaco-editor[data-uri$="/src/answer.ts"] .view-lines`).first().click();
            await wb.page.keyboard.press("Control+Z");
            await wb.waitFor(async () => (await wb.editorLines()).some((l) => l.includes("answer = 1;")), 10_000, "one undo brings the original back");
            assert.deepEqual((await wb.editorLines()).filter((l) => l.trim()), ["export const answer = 1;"]);
            await wb.page.keyboard.press("Control+Shift+Z");
            await wb.waitFor(async () => (await wb.editorLines()).some((l) => l.includes("answer = 42")), 10_000, "redo");
            await wb.page.keyboard.press("Control+S");
            await wb.waitFor(() => readFileSync(file, "utf8").includes("answer = 42"), 10_000, "the saved file has the applied code");
            assert.equal(readFileSync(file, "utf8"), 'export const answer = 42;\nexport const question = "?";\n');
          });
          await wb.step("closing-the-diff-rejects", async () => {
            await chat.locator("pre").nth(1).hover();
            await chat.locator('pre button[data-action="apply"]').nth(1).click();
            await wb.page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
            await wb.page.locator(".monaco-diff-editor .view-lines").last().click();
            await wb.page.keyboard.press("Control+W");
            await wb.waitFor(async () => (await wb.page.locator(".monaco-diff-editor").count()) === 0, 10_000, "the diff is closed");
            // Accept now has nothing to apply (the command may not even be offered).
            await wb.page.keyboard.press("F1");
            await wb.page.locator(".quick-input-widget input").fill(">Freehold: Accept Proposed Change");
            await sleep(1500);
            await wb.page.keyboard.press("Enter");
            await sleep(1500);
            await wb.page.keyboard.press("Escape");
            assert.ok(!(await wb.editorLines()).some((l) => l.includes("answer = 43")), "the closed proposal was not applied");
            assert.equal(readFileSync(file, "utf8"), 'export const answer = 42;\nexport const question = "?";\n');
          });
        }),
      );
    },
  },
  {
    name: "chat: switch, Regenerate, New and Delete conversations",
    async run({ modelPath }) {
      const alpha = conversation("seeded-alpha", "alpha question", [
        { role: "user", text: "alpha question" },
        { role: "assistant", text: "alpha answer" },
      ]);
      const beta = conversation("seeded-beta", "beta question", [
        { role: "user", text: "beta question" },
        { role: "assistant", text: "beta answer" },
      ]);
      const settings = { ...baseSettings(modelPath), "freehold.chat.maxTokens": 16 };
      await withChatSeed([alpha, beta], alpha.id, () =>
        withWorkbench({ name: "chat-conversations", settings, files: { "a.ts": "export const a = 1;\n" } }, async (wb) => {
          const chat = await wb.step("opens-active", async () => {
            const chat = await openChat(wb);
            await chat.locator(".message.assistant", { hasText: "alpha answer" }).waitFor({ timeout: 30_000 });
            return chat;
          });
          const select = chat.locator("#conversations");
          await wb.step("switch", async () => {
            await select.selectOption(beta.id);
            await chat.locator(".message.assistant", { hasText: "beta answer" }).waitFor({ timeout: 30_000 });
            assert.equal(await chat.locator(".message", { hasText: "alpha" }).count(), 0);
          });
          await wb.step("regenerate", async () => {
            await chat.locator("#regenerate").click();
            await chat.locator(".message.assistant.streaming").waitFor({ timeout: 60_000 });
            await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 120_000, "the new answer finishes");
            assert.equal(await chat.locator(".message.user").count(), 1, "the question is asked again, not added");
            const answers = await chat.locator(".message.assistant .body").allInnerTexts();
            assert.equal(answers.length, 1);
            assert.notEqual(answers[0], "beta answer", "the old answer was replaced");
          });
          await wb.step("new", async () => {
            await chat.locator("#new").click();
            await wb.waitFor(async () => (await chat.locator(".message").count()) === 0, 10_000, "the log is empty");
            assert.equal(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent), "New chat");
          });
          await wb.step("delete", async () => {
            await select.selectOption(alpha.id);
            await chat.locator(".message.assistant", { hasText: "alpha answer" }).waitFor({ timeout: 30_000 });
            await chat.locator("#delete").click();
            const confirm = wb.page.locator(".monaco-dialog-box").getByRole("button", { name: "Delete", exact: true });
            await confirm.waitFor({ timeout: 10_000 });
            await confirm.click();
            await wb.waitFor(async () => (await chat.locator(".message").count()) === 0, 10_000, "the deleted conversation's messages are gone");
            const titles = await select.evaluate((s: HTMLSelectElement) => [...s.options].map((o) => o.textContent));
            assert.ok(!titles.includes("alpha question") && titles.includes("beta question"), `listed: ${titles.join(", ")}`);
          });
        }),
      );
    },
  },
];
