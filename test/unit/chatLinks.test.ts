// Which links from model output the chat view may open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyLink } from "../../src/chat/linkTarget";

const roots = ["/home/u/project"];

test("http and https open in the browser", () => {
  assert.deepEqual(classifyLink("https://example.com/a?b=1", roots), { kind: "external", url: "https://example.com/a?b=1" });
  assert.deepEqual(classifyLink(" HTTP://Example.com ", roots), { kind: "external", url: "http://example.com/" });
});

test("other schemes, credentials and protocol-relative addresses are refused", () => {
  for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>1</script>", "file:///etc/passwd", "command:workbench.action.terminal.new", "vscode://x", "//evil.example/x", "https://user:pw@example.com/", "java\nscript:alert(1)", ""]) {
    assert.equal(classifyLink(href, roots).kind, "refused", href);
  }
});

test("paths inside the workspace open in the editor, with a line when given", () => {
  assert.deepEqual(classifyLink("src/a.ts", roots), { kind: "file", path: "/home/u/project/src/a.ts" });
  assert.deepEqual(classifyLink("src/a.ts#L12", roots), { kind: "file", path: "/home/u/project/src/a.ts", line: 12 });
  assert.deepEqual(classifyLink("src/a.ts:7", roots), { kind: "file", path: "/home/u/project/src/a.ts", line: 7 });
  assert.deepEqual(classifyLink("/home/u/project/b%20c.ts", roots), { kind: "file", path: "/home/u/project/b c.ts" });
});

test("paths outside the workspace are refused", () => {
  for (const href of ["../secret.txt", "/etc/passwd", "src/../../x", "%2e%2e/x", "/home/u/project", "/home/u/project-other/a.ts"]) {
    assert.equal(classifyLink(href, roots).kind, "refused", href);
  }
  assert.equal(classifyLink("a.ts", []).kind, "refused", "no workspace: no files");
});
