// Integration (issue 11): a suggestion shown while it streams goes on generating after VS Code has it; when the
// user leaves the place (another editor, a far jump) or edits it other than by typing through the suggestion,
// that generation is stopped, so the worker is free for the warm-up and the next keystroke's request. A scripted model whose suggestion is 600 lines (a scripted
// model's token is a line) keeps the generation going for seconds after its first line is shown. What is
// observed is the typing-through memory: a generation that ends keeps its whole text there; one that is
// stopped leaves nothing there.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { writeScriptedModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";
import { toDocumentPosition } from "../../src/vscode/completion/documentPosition";
import type { DocumentPosition } from "../../src/completion/pipeline";
import { askAt } from "./support/typeAndAsk";

const LINES = 600;
/** The block's body after the cursor's indentation: `w0();`, then each line indented as the cursor is. */
const SCRIPT = Array.from({ length: LINES }, (_, i) => `${i ? "  " : ""}w${i}();\n`).join("");

async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("Leaving the place of a streaming suggestion", function () {
  this.timeout(240_000);
  let api: FreeholdApi;
  let folder: string;
  let contextBefore: number | undefined;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "freehold-suite-leave-"));
    const modelPath = join(folder, "scripted-long-line.gguf");
    await writeScriptedModelFile(modelPath, SCRIPT);
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    // The suites' workspace sets a 1,024-token context; this suite needs room for the 600-line suggestion.
    contextBefore = vscode.workspace.getConfiguration("freehold.model").inspect<number>("contextSize")?.workspaceValue;
    await vscode.workspace.getConfiguration("freehold.model").update("contextSize", 4096, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("freehold.completions").update("maxTokensMultiLine", 3000, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("path", modelPath, vscode.ConfigurationTarget.Global);
    const info = await api.ensureModel();
    assert.equal(info.path, modelPath);
    assert.equal(info.contextSize, 4096, "room for the 600-line suggestion");
  });

  after(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.getConfiguration("freehold.completions").update("maxTokensMultiLine", undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("contextSize", contextBefore, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("freehold.model").update("path", undefined, vscode.ConfigurationTarget.Global);
    rmSync(folder, { recursive: true, force: true });
  });

  /** At an empty line in a function's body, a suggestion shown at its first line; the position it was asked at. */
  async function shownWhileStreaming(name: string): Promise<{ at: DocumentPosition; shown: string }> {
    const document = await vscode.workspace.openTextDocument({ language: "typescript", content: `export function ${name}(values: number[]): number {\n  \n}\n` });
    const position = new vscode.Position(1, 2);
    const { items } = await askAt(api, await vscode.window.showTextDocument(document), position);
    const shown = items[0]?.insertText;
    assert.ok(typeof shown === "string" && shown.startsWith("w0();"), `ghost text for the keystroke (got ${JSON.stringify(shown)}; last outcome ${JSON.stringify(api.completions.provider.lastOutcome)})`);
    assert.ok(shown.length < SCRIPT.trim().length, `shown before the whole block was generated (${shown.length} characters)`);
    return { at: toDocumentPosition(document, position), shown };
  }

  it("staying at the place, the generation goes on to the whole block", async () => {
    const { at } = await shownWhileStreaming("spread");
    // Post-processing indents the lines to the document's unit: the whole block is there when its last line is.
    await until("the whole block is in memory", () => (api.completions.pipeline.fromCache(at)?.[0]?.text ?? "").includes(`w${LINES - 1}();`), 120_000);
  });

  it("an edit that does not follow the suggestion stops the generation before VS Code asks again", async () => {
    const { at } = await shownWhileStreaming("median");
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 2), "x"));
    await until("the stopped generation's entry is gone from memory", () => api.completions.pipeline.fromCache(at) === undefined, 30_000);
  });

  it("typing through the suggestion lets the generation go on", async () => {
    await shownWhileStreaming("range");
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 2), "w"));
    const typed = toDocumentPosition(editor.document, new vscode.Position(1, 3));
    assert.ok(api.completions.pipeline.fromCache(typed)?.length, "memory answers the typed-through position");
    await until("the whole block is in memory", () => (api.completions.pipeline.fromCache(typed)?.[0]?.text ?? "").includes(`w${LINES - 1}();`), 120_000);
  });

  it("switching to another editor stops the generation: nothing of it is left in memory", async () => {
    const { at } = await shownWhileStreaming("average");
    const other = await vscode.workspace.openTextDocument({ language: "typescript", content: "export const other = 1;\n" });
    await vscode.window.showTextDocument(other);
    await until("the stopped generation's entry is gone from memory", () => api.completions.pipeline.fromCache(at) === undefined, 30_000);
  });
});
