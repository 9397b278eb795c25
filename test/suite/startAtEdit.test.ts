// Integration (issue 11): VS Code asks for ghost text 50 ms after a keystroke (its own debounce) and a round trip
// later; Freehold sees the edit first and, when its own debounce would not wait longer, starts the model call
// there. VS Code's request for the same text and cursor takes that call over instead of starting a second one; a
// request for anything else (another cursor, the suggest widget's item) stops it and makes its own. A scripted
// model answers every prompt with the same lines, so each answer is known exactly.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { writeScriptedModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";

const SCRIPT = "+= value;\n";

/** More than the debounce's pause (1 s): the next edit is a key after a pause, as a user's single key is. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 1200));

describe("A keystroke's model call started at its edit", function () {
  this.timeout(180_000);
  let api: FreeholdApi;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "freehold-suite-start-at-edit-"));
    const modelPath = join(folder, "scripted-start-at-edit.gguf");
    await writeScriptedModelFile(modelPath, SCRIPT);
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    await vscode.workspace.getConfiguration("freehold.model").update("path", modelPath, vscode.ConfigurationTarget.Global);
    assert.equal((await api.ensureModel()).path, modelPath);
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.getConfiguration("freehold.model").update("path", undefined, vscode.ConfigurationTarget.Global);
    rmSync(folder, { recursive: true, force: true });
  });

  /** A new editor whose last line is `  ` inside a loop, the cursor at its end; the position after typing `typed` there. */
  async function typed(typedText: string): Promise<{ editor: vscode.TextEditor; position: vscode.Position }> {
    const document = await vscode.workspace.openTextDocument({ language: "typescript", content: "export function sum(values: number[]): number {\n  let total = 0;\n  for (const value of values) {\n    " });
    const editor = await vscode.window.showTextDocument(document);
    const end = document.lineAt(document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await pause();
    await editor.edit((edit) => edit.insert(end, typedText));
    return { editor, position: end.translate(0, typedText.length) };
  }

  function ask(editor: vscode.TextEditor, position: vscode.Position, selectedCompletionInfo?: vscode.SelectedCompletionInfo) {
    editor.selection = new vscode.Selection(position, position);
    return api.completions.provider.provideInlineCompletionItems(
      editor.document,
      position,
      { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo },
      new vscode.CancellationTokenSource().token,
    );
  }

  it("VS Code's request for the edited text and cursor is answered by the call started at the edit", async () => {
    const provider = api.completions.provider;
    const takenBefore = provider.startedAtEditTaken;
    const callsBefore = api.completions.pipeline.modelCalls;
    const { editor, position } = await typed("total ");
    const list = await ask(editor, position);
    assert.equal(provider.startedAtEditTaken, takenBefore + 1, "the request took over the call started at the edit");
    assert.equal(api.completions.pipeline.modelCalls, callsBefore + 1, "one model call for the edit and the request");
    assert.equal(list?.items[0]?.insertText, "+= value;", "the scripted answer");
  });

  it("a request at another cursor stops it and makes its own model call", async () => {
    const provider = api.completions.provider;
    const takenBefore = provider.startedAtEditTaken;
    const { editor, position } = await typed("total ");
    // Between "total" and the space: only whitespace follows, so the request goes on to the model.
    const list = await ask(editor, position.translate(0, -1));
    assert.equal(provider.startedAtEditTaken, takenBefore, "not taken over");
    assert.equal(list?.items[0]?.insertText, "+= value;", "answered by its own model call");
  });

  it("a request beside the suggest widget's item stops it and completes after the item", async () => {
    const provider = api.completions.provider;
    const takenBefore = provider.startedAtEditTaken;
    const { editor, position } = await typed("to");
    const range = new vscode.Range(position.translate(0, -2), position);
    const list = await ask(editor, position, { range, text: "total" });
    assert.equal(provider.startedAtEditTaken, takenBefore, "not taken over: the prompt has the item in it");
    const insert = list?.items[0]?.insertText;
    assert.ok(typeof insert === "string" && insert.startsWith("total"), `the ghost text extends the item (got ${JSON.stringify(insert)})`);
  });
});
