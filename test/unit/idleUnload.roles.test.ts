// Idle unload per role (pure): the memory plan's "Load the chat model only when asked" shortens the chat
// model's idle time only; the completion model keeps its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chatOnDemandSettings, roleIdleMinutes, type ReadSetting } from "../../src/models/idleUnload";

const reader = (values: Record<string, unknown>): ReadSetting => (name) => values[name];

test("\"chat on demand\" unloads the chat model after 2 idle minutes and leaves the completion model's time alone", () => {
  const settings: Record<string, unknown> = { "freehold.model.idleUnloadMinutes": 30 };
  for (const { name, value } of chatOnDemandSettings()) settings[name] = value;
  assert.equal(roleIdleMinutes("chat", reader(settings)), 2);
  assert.equal(roleIdleMinutes("completion", reader(settings)), 30, "the completion model's idle time is unchanged");
});

test("without a chat setting of its own, chat follows freehold.model.idleUnloadMinutes (default 15; 0 never unloads)", () => {
  assert.equal(roleIdleMinutes("chat", reader({})), 15);
  assert.equal(roleIdleMinutes("completion", reader({})), 15);
  assert.equal(roleIdleMinutes("chat", reader({ "freehold.model.idleUnloadMinutes": 0 })), 0);
  assert.equal(roleIdleMinutes("chat", reader({ "freehold.model.idleUnloadMinutes": 5, "freehold.chat.idleUnloadMinutes": null })), 5, "null: follow the shared setting");
  assert.equal(roleIdleMinutes("chat", reader({ "freehold.model.idleUnloadMinutes": 5, "freehold.chat.idleUnloadMinutes": 0 })), 0, "chat's own 0 keeps it loaded");
  assert.equal(roleIdleMinutes("completion", reader({ "freehold.model.idleUnloadMinutes": -3 })), 0);
});
