// Test-only: when Freehold runs under development or test (never from an installed .vsix in production) and
// FREEHOLD_TEST_CHAT_SEED names a JSON file `{ "conversations": Conversation[], "active"?: id }`, those
// conversations are written into the chat store at activation. UI tests use it to put a known assistant answer
// (a code block to Apply, hostile markdown for the renderer) into the history, since the tiny model only
// produces random text.
import { readFile } from "node:fs/promises";
import type * as vscode from "vscode";
import type { ConversationStore } from "../../chat/conversationStore";
import type { Conversation } from "../../chat/types";
import { testOnlyEnv } from "../testOnlyEnv";

export const TEST_SEED_ENV = "FREEHOLD_TEST_CHAT_SEED";

export async function seedChatForTests(context: vscode.ExtensionContext, store: ConversationStore, activeKey: string): Promise<void> {
  const file = testOnlyEnv(context.extensionMode, TEST_SEED_ENV);
  if (!file) return;
  const seed = JSON.parse(await readFile(file, "utf8")) as { conversations: Conversation[]; active?: string };
  // Only once per storage: a reload must show what the user did since, not the seed again.
  const marker = `freehold.chat.seeded:${file}`;
  if (context.globalState.get<boolean>(marker)) return;
  for (const conversation of seed.conversations) await store.save(conversation);
  if (seed.active) await context.globalState.update(activeKey, seed.active);
  await context.globalState.update(marker, true);
}
