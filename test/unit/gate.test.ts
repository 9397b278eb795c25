import { test } from "node:test";
import assert from "node:assert/strict";
import { gate, type GateFacts } from "../../src/completion/gate";

const facts = (overrides: Partial<GateFacts> = {}): GateFacts => ({
  languageId: "typescript",
  languages: { "*": true },
  uriScheme: "file",
  cursorCount: 1,
  lineSuffix: "",
  manual: false,
  justAcceptedLine: false,
  documentLength: 1000,
  ...overrides,
});

test("lets an ordinary keystroke through", () => {
  assert.equal(gate(facts()), undefined);
  assert.equal(gate(facts({ lineSuffix: ")" })), undefined);
  assert.equal(gate(facts({ uriScheme: "untitled" })), undefined);
});

test("skips, with a reason, where a suggestion would get in the way", () => {
  assert.match(gate(facts({ languages: { "*": true, typescript: false } }))!, /off for typescript/);
  assert.match(gate(facts({ languages: { "*": false } }))!, /off/);
  assert.match(gate(facts({ uriScheme: "vscode-scm" }))!, /not a code editor/);
  assert.match(gate(facts({ cursorCount: 2 }))!, /several cursors/);
  assert.match(gate(facts({ lineSuffix: "foo)" }))!, /word characters/);
  assert.match(gate(facts({ justAcceptedLine: true }))!, /just accepted/);
  assert.match(gate(facts({ documentLength: 5 * 1024 * 1024 }))!, /MB limit/);
});

test("a manual trigger runs even where the automatic one would not", () => {
  assert.equal(gate(facts({ manual: true, lineSuffix: "foo", cursorCount: 3, languages: { "*": false } })), undefined);
  assert.match(gate(facts({ manual: true, uriScheme: "vscode-scm" }))!, /not a code editor/);
});
