// A position with the suggest widget's item inserted is not the editor's document: it carries no document
// version, or the kept syntax tree of that version (the text without the item) would be taken for it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withSelectedItem } from "../../src/completion/selectedItem";

test("a position with the selected item inserted has no document version", () => {
  const text = "const total = sum(items);\n";
  const position = { key: "file:///w/a.ts", relativePath: "a.ts", languageId: "typescript", text, offset: 17, repoName: "w", version: 7 };
  // "sum" replaced by "add": the same length, so only the version could tell the two texts apart.
  const at = withSelectedItem(position, { startOffset: 14, endOffset: 17, text: "add" });
  assert.equal(at.text, "const total = add(items);\n");
  assert.equal(at.version, undefined);
});
