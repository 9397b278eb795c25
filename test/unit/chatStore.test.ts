// The chat history store in plain Node: atomic writes, lazy loading, corrupt files set aside with a warning.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConversationStore } from "../../src/chat/conversationStore";
import type { Conversation } from "../../src/chat/types";

const conversation = (id: string, updatedAt: number, text = "hello"): Conversation => ({
  id,
  title: text,
  createdAt: updatedAt,
  updatedAt,
  messages: [
    { role: "user", text },
    { role: "assistant", text: "```ts\nconst x = 1;\n```" },
  ],
});

const made: string[] = [];
after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "freehold-chat-store-"));
  made.push(dir);
  return dir;
}

test("saves and reloads conversations across store instances, newest first", async () => {
  const dir = await scratch();
  const store = new ConversationStore(dir);
  await store.save(conversation("a", 1, "first"));
  await store.save(conversation("b", 2, "second"));
  const again = new ConversationStore(dir);
  assert.deepEqual((await again.list()).map((s) => [s.id, s.title, s.messageCount]), [["b", "second", 2], ["a", "first", 2]]);
  assert.deepEqual(await again.load("a"), conversation("a", 1, "first"));
});

test("writes leave no temporary files and replace whole files", async () => {
  const dir = await scratch();
  const store = new ConversationStore(dir);
  await Promise.all([1, 2, 3, 4, 5].map((n) => store.save(conversation("a", n, `v${n}`))));
  await store.flush();
  assert.deepEqual((await readdir(dir)).sort(), ["a.json", "index.json"]);
  assert.equal((await new ConversationStore(dir).load("a"))?.title, "v5");
});

test("reads a conversation only when it is opened", async () => {
  const dir = await scratch();
  await new ConversationStore(dir).save(conversation("a", 1));
  await writeFile(join(dir, "a.json"), "{ this is not json");
  const store = new ConversationStore(dir);
  assert.equal((await store.list()).length, 1, "listing reads the index, not the conversation files");
});

test("a corrupt conversation file is set aside with a warning, not emptied", async () => {
  const dir = await scratch();
  await new ConversationStore(dir).save(conversation("a", 1));
  await new ConversationStore(dir).save(conversation("b", 2));
  await writeFile(join(dir, "a.json"), '{"version":1,"id":"a","messages":[{"role":"user"');
  const warnings: string[] = [];
  const store = new ConversationStore(dir, { warn: (m) => warnings.push(m), now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
  assert.equal(await store.load("a"), undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /a\.json\.corrupt-2026-01-02T03-04-05-000Z/);
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files, ["a.json.corrupt-2026-01-02T03-04-05-000Z", "b.json", "index.json"]);
  assert.equal(await readFile(join(dir, "a.json.corrupt-2026-01-02T03-04-05-000Z"), "utf8"), '{"version":1,"id":"a","messages":[{"role":"user"');
  assert.deepEqual((await store.list()).map((s) => s.id), ["b"]);
  assert.deepEqual((await new ConversationStore(dir).list()).map((s) => s.id), ["b"], "the index no longer lists it");
});

test("a corrupt index is set aside and rebuilt from the conversation files", async () => {
  const dir = await scratch();
  await new ConversationStore(dir).save(conversation("a", 1));
  await new ConversationStore(dir).save(conversation("b", 2));
  await writeFile(join(dir, "index.json"), "\u0000\u0000garbage");
  const warnings: string[] = [];
  const store = new ConversationStore(dir, { warn: (m) => warnings.push(m) });
  assert.deepEqual((await store.list()).map((s) => s.id), ["b", "a"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /index\.json\.corrupt-/);
  assert.ok((await readdir(dir)).some((f) => f.startsWith("index.json.corrupt-")));
  assert.deepEqual((await new ConversationStore(dir).list()).map((s) => s.id), ["b", "a"], "the rebuilt index was written");
});

test("deletes a conversation and refuses ids that are not plain names", async () => {
  const dir = await scratch();
  const store = new ConversationStore(dir);
  await store.save(conversation("a", 1));
  await store.delete("a");
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(await readdir(dir), ["index.json"]);
  assert.equal(await store.load("../etc/passwd"), undefined);
  await assert.rejects(store.save(conversation("../x", 1)), /Bad conversation id/);
});

test("a missing folder is created; an empty store lists nothing", async () => {
  const dir = join(await scratch(), "deeper", "chats");
  const store = new ConversationStore(dir);
  assert.deepEqual(await store.list(), []);
  assert.equal(await store.load("nope"), undefined);
});
