// Helpers of the chat view UI tests: the webview's elements, seeding the history, running a command.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FrameLocator } from "playwright-core";
import type { Conversation } from "../../src/chat/types";
import type { Workbench } from "./harness";

export const SEED_ENV = "FREEHOLD_TEST_CHAT_SEED";

/** Writes a seed file for the test hook (src/vscode/chat/testHooks.ts) and sets its env var for `body`. */
export async function withChatSeed<T>(conversations: Conversation[], active: string | undefined, body: () => Promise<T>): Promise<T> {
  const file = join(mkdtempSync(join(tmpdir(), "freehold-chat-seed-")), "seed.json");
  writeFileSync(file, JSON.stringify({ conversations, active }));
  const before = process.env[SEED_ENV];
  process.env[SEED_ENV] = file;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[SEED_ENV];
    else process.env[SEED_ENV] = before;
  }
}

export function conversation(id: string, title: string, messages: Conversation["messages"]): Conversation {
  return { id, title, createdAt: Date.now(), updatedAt: Date.now(), messages };
}

/**
 * Opens the Freehold view and waits until the chat webview's composer is there and its script runs (the status
 * line shows the host's first status: keys typed before that would reach no handler).
 */
export async function openChat(wb: Workbench): Promise<FrameLocator> {
  await wb.openViewContainer();
  const chat = wb.webview();
  await chat.locator("#input").waitFor({ state: "visible", timeout: 60_000 });
  await chat.locator("#status[data-state]").waitFor({ state: "attached", timeout: 60_000 });
  return chat;
}

/** Runs a command by its title through the command palette. */
export async function runCommand(wb: Workbench, title: string): Promise<void> {
  const input = wb.page.locator(".quick-input-widget input");
  // A key pressed while a webview (the chat) has focus reaches the workbench through the webview's forwarding,
  // which can drop it: F1 again, at most three times.
  for (let attempt = 1; ; attempt++) {
    await wb.page.keyboard.press("F1");
    try {
      await input.waitFor({ state: "visible", timeout: attempt < 3 ? 5_000 : 20_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await input.fill(`>${title}`);
  await wb.page.locator(".quick-input-list .monaco-list-row").filter({ hasText: title }).first().waitFor({ timeout: 20_000 });
  await wb.page.keyboard.press("Enter");
}
