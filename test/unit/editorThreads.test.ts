// Beside the editor the model leaves one core to VS Code (src/engine/editorThreads.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { editorThreads } from "../../src/engine/editorThreads";

test("threads beside the editor: one per core but one, at least one", () => {
  assert.equal(editorThreads(1), 1);
  assert.equal(editorThreads(2), 1);
  assert.equal(editorThreads(8), 7);
});
