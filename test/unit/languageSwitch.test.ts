import { test } from "node:test";
import assert from "node:assert/strict";
import { completionsOnFor, switchLanguage } from "../../src/completion/languageSwitch";

test("a language's own entry decides, else the default \"*\", else on", () => {
  assert.equal(completionsOnFor({ "*": true, markdown: false }, "markdown"), false);
  assert.equal(completionsOnFor({ "*": true, markdown: false }, "typescript"), true);
  assert.equal(completionsOnFor({ "*": false, python: true }, "python"), true);
  assert.equal(completionsOnFor({ "*": false, python: true }, "go"), false);
  assert.equal(completionsOnFor({}, "go"), true);
});

test("switching a language off and on again leaves the setting as it was; other entries are kept", () => {
  const setting = { "*": true, markdown: false };
  const off = switchLanguage(setting, "typescript", false);
  assert.deepEqual(off, { "*": true, markdown: false, typescript: false });
  assert.equal(completionsOnFor(off, "typescript"), false);
  assert.deepEqual(switchLanguage(off, "typescript", true), setting, "back on: the entry that only repeats the default goes");
  assert.deepEqual(setting, { "*": true, markdown: false }, "the setting given is not changed");
});

test("with everything off by default, switching one language on adds it", () => {
  const on = switchLanguage({ "*": false }, "rust", true);
  assert.deepEqual(on, { "*": false, rust: true });
  assert.equal(completionsOnFor(on, "rust"), true);
  assert.deepEqual(switchLanguage(on, "rust", false), { "*": false });
});

test("the default itself can be switched", () => {
  assert.deepEqual(switchLanguage({ "*": true, go: true }, "*", false), { "*": false, go: true });
});
