// A failed chat turn in the real editor (issue 10): the user's message stays in the log marked "Not answered" with
// the reason and a Retry button; Retry answers it and the mark goes away. The failed message comes from a seeded
// history (FREEHOLD_TEST_CHAT_SEED), as a worker killed mid-answer leaves it (test/unit/chatFailure.test.ts makes
// that failure with a real SIGKILL and checks what is stored).
import * as assert from "node:assert/strict";
import { withWorkbench, type UiTest } from "./harness";
import { conversation, openChat, withChatSeed } from "./chatHelpers";

export const tests: UiTest[] = [
  {
    name: "chat: a failed message is kept, marked failed with Retry, and Retry answers it",
    async run({ modelPath }) {
      const reason = "The Freehold worker stopped unexpectedly (signal SIGKILL). The request was lost; try again.";
      const seeded = conversation("seeded-failed", "failed question", [
        { role: "user", text: "first question" },
        { role: "assistant", text: "first answer" },
        { role: "user", text: "the question that failed", failed: reason },
      ]);
      const settings = { "freehold.completions.model": modelPath, "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 2048, "freehold.chat.maxTokens": 12 };
      await withChatSeed([seeded], seeded.id, () =>
        withWorkbench({ name: "chat-retry", settings, files: { "a.ts": "export const a = 1;\n" } }, async (wb) => {
          const chat = await wb.step("shows-failed", async () => {
            const chat = await openChat(wb);
            const failed = chat.locator(".message.user", { hasText: "the question that failed" });
            await failed.locator(".note.failed", { hasText: "signal SIGKILL" }).waitFor({ timeout: 30_000 });
            assert.equal(await failed.locator("button.retry").count(), 1, "a Retry button under the failed message");
            return chat;
          });
          await wb.step("retry-answers", async () => {
            await chat.locator("button.retry").click();
            await chat.locator(".message.assistant.streaming").waitFor({ timeout: 60_000 });
            await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 120_000, "the answer finishes");
            await wb.waitFor(async () => (await chat.locator(".note.failed").count()) === 0, 10_000, "the failed mark is gone");
            assert.equal(await chat.locator(".message.user").count(), 2, "the question is answered in place, not added again");
            const answers = await chat.locator(".message.assistant .body").allInnerTexts();
            assert.equal(answers.length, 2);
            assert.equal(answers[0], "first answer");
            assert.ok(answers[1].length > 0, "the retried question got an answer");
          });
        }),
      );
    },
  },
];
