// Integration: the diff review in a CRLF file (Windows line endings) in a real VS Code: the proposal, written
// with "\n" like all model output, is shown in the file's own CRLF line endings, and Accept leaves a file whose
// every line still ends in CRLF.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { FreeholdApi } from "../../src/extension";
import type { EditReview } from "../../src/vscode/review/editReview";

const SOURCE = "// header\r\nexport function add(a: number, b: number): number {\r\n  return a + b;\r\n}\r\n// footer\r\n";
const FUNCTION = new vscode.Range(1, 0, 3, 1);
const PROPOSED = "export function add(a: number, b: number): number {\n  const sum = a + b;\n  return sum;\n}";
const PROPOSED_CRLF = PROPOSED.replace(/\n/g, "\r\n");

const bareLineFeeds = (text: string) => text.replace(/\r\n/g, "").split("\n").length - 1;

describe("Edit review in a CRLF file", function () {
  this.timeout(60_000);
  let review: EditReview;
  let uri: vscode.Uri;

  before(async () => {
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    review = (await extension.activate()).review;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    uri = vscode.Uri.joinPath(folder.uri, ".review-crlf-test", `crlf-${Date.now()}.ts`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SOURCE));
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, ".review-crlf-test"), { recursive: true, useTrash: false });
  });

  it("shows the proposal with CRLF and Accept keeps the file CRLF throughout", async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.eol, vscode.EndOfLine.CRLF, "VS Code reads the file as CRLF");
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    const proposed = await vscode.workspace.openTextDocument(session.uri);
    assert.equal(proposed.eol, vscode.EndOfLine.CRLF, "the diff's right side has the file's line endings");
    assert.equal(proposed.getText(), `// header\r\n${PROPOSED_CRLF}\r\n// footer\r\n`);

    assert.equal(await vscode.commands.executeCommand("freehold.review.accept", session.uri), "accepted");
    assert.equal(await session.outcome, "accepted");
    assert.equal(document.getText(), `// header\r\n${PROPOSED_CRLF}\r\n// footer\r\n`);
    assert.equal(bareLineFeeds(document.getText()), 0, "no line ends in a bare \\n");
    await document.save();
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.equal(bareLineFeeds(onDisk), 0, "the saved file has CRLF line endings only");
  });
});
