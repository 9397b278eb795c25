// Integration: the shared diff review (EditReview) in a real VS Code: the file changes only on Accept, as one
// undoable edit; Reject leaves it alone; an edit of the reviewed text makes Accept refuse; edits elsewhere don't.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { FreeholdApi } from "../../src/extension";
import { EditReview, type ReviewOutcome } from "../../src/vscode/review/editReview";

const SOURCE = "// header\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n// footer\n";
const FUNCTION = new vscode.Range(1, 0, 3, 1);
const PROPOSED = "export function add(a: number, b: number): number {\n  const sum = a + b;\n  return sum;\n}";

let documentCount = 0;

/**
 * A new file on disk per test: an untitled document would stay open after the test (closing a dirty untitled
 * editor asks to save, which the test host refuses), and later untitled documents could be confused with it.
 */
async function freshDocument(): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const uri = vscode.Uri.joinPath(folder.uri, ".review-test", `review-${Date.now()}-${++documentCount}.ts`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SOURCE));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

function diffTabs(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString());
}

/** Waits until the virtual document at `uri` has `text` (VS Code reloads it asynchronously after a change). */
async function proposedText(uri: vscode.Uri, text: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.getText() === text) return text;
  return new Promise((resolve) => {
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() === uri.toString() && event.document.getText() === text) {
        listener.dispose();
        resolve(text);
      }
    });
  });
}

async function edit(document: vscode.TextDocument, apply: (edit: vscode.WorkspaceEdit) => void): Promise<void> {
  const change = new vscode.WorkspaceEdit();
  apply(change);
  assert.equal(await vscode.workspace.applyEdit(change), true);
}

describe("Edit review", function () {
  this.timeout(60_000);
  let review: EditReview;

  before(async () => {
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    review = (await extension.activate()).review;
  });

  afterEach(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  after(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, ".review-test"), { recursive: true, useTrash: false });
  });

  it("shows the proposal as a diff; Accept changes the file and one undo restores it", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    assert.equal(diffTabs(session.uri).length, 1, "a diff editor shows the proposal");
    const proposed = await vscode.workspace.openTextDocument(session.uri);
    assert.equal(proposed.getText(), `// header\n${PROPOSED}\n// footer\n`, "the right side is the document with the proposal in place");
    assert.equal(document.getText(), SOURCE, "nothing changes before Accept");

    const result = await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept", session.uri);
    assert.equal(result, "accepted");
    assert.equal(await session.outcome, "accepted");
    assert.equal(document.getText(), `// header\n${PROPOSED}\n// footer\n`);
    assert.equal(diffTabs(session.uri).length, 0, "the diff closes");
    assert.equal(review.activeCount, 0);

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand("undo");
    assert.equal(document.getText(), SOURCE, "one undo restores the file");
  });

  it("Reject leaves the file untouched and closes the diff", async () => {
    const document = await freshDocument();
    const version = document.version;
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.reject"), "rejected", "the command finds the only review");
    assert.equal(await session.outcome, "rejected");
    assert.equal(document.getText(), SOURCE);
    assert.equal(document.version, version, "not even an edit and its undo");
    assert.equal(diffTabs(session.uri).length, 0);
  });

  it("refuses to apply as stale when the reviewed text was edited during the review", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    await edit(document, (e) => e.insert(document.uri, new vscode.Position(2, 2), "debugger;\n  "));
    const result = await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept", session.uri);
    assert.equal(result, "stale");
    assert.equal(await session.outcome, "stale");
    assert.equal(document.getText(), SOURCE.replace("  return a + b;", "  debugger;\n  return a + b;"), "the user's edit stays, the proposal is not applied");
  });

  it("an insertion right at the edge of the reviewed text also makes it stale", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    await edit(document, (e) => e.insert(document.uri, FUNCTION.end, " // end"));
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept", session.uri), "stale");
    assert.ok(!document.getText().includes("const sum"));
  });

  it("applies at the right place after edits before and after the reviewed text", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", proposedText: PROPOSED });
    await edit(document, (e) => {
      e.replace(document.uri, new vscode.Range(0, 0, 0, 9), "// a longer header\n// on two lines");
      e.insert(document.uri, new vscode.Position(4, 9), " (end)");
    });
    await proposedText(session.uri, `// a longer header\n// on two lines\n${PROPOSED}\n// footer (end)\n`); // the diff follows the edits
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept", session.uri), "accepted");
    assert.equal(document.getText(), `// a longer header\n// on two lines\n${PROPOSED}\n// footer (end)\n`);
  });

  it("a streamed proposal updates the diff, and Accept waits until it is finished", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", streaming: true });
    const proposed = await vscode.workspace.openTextDocument(session.uri);
    assert.equal(proposed.getText(), "// header\n\n// footer\n", "an empty proposal to start with");
    session.update(PROPOSED.slice(0, 70));
    await proposedText(session.uri, `// header\n${PROPOSED.slice(0, 70)}\n// footer\n`);
    assert.equal(await vscode.commands.executeCommand("freehold.review.accept", session.uri), undefined, "no accept while streaming");
    assert.equal(document.getText(), SOURCE);
    session.update(PROPOSED);
    session.finish();
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept", session.uri), "accepted");
    assert.equal(document.getText(), `// header\n${PROPOSED}\n// footer\n`);
  });

  it("an edit of the reviewed text while the proposal streams ends the review as stale at once", async () => {
    const document = await freshDocument();
    const session = await review.start({ document, range: FUNCTION, title: "Freehold: Test", streaming: true });
    session.update("partial");
    await edit(document, (e) => e.delete(document.uri, new vscode.Range(2, 0, 2, 2)));
    assert.equal(await session.outcome, "stale");
    assert.equal(diffTabs(session.uri).length, 0);
    assert.equal(review.activeCount, 0);
  });

  it("reviews a file on disk with the file on the left of the diff", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, "sample.py"));
    const original = document.getText();
    const session = await review.start({ document, range: new vscode.Range(1, 0, 1, 16), title: "Freehold: Test", proposedText: "    return b + a" });
    const [tab] = diffTabs(session.uri);
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab.input.original.toString(), document.uri.toString());
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.reject", session.uri), "rejected");
    assert.equal(document.getText(), original);
  });
});
