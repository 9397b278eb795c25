// Integration: refactor commands, code actions and prompt files in a real VS Code with the tiny model.
import * as assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { writeModelFile } from "../../src/gguf/index";
import type { FreeholdApi } from "../../src/extension";
import { buildActionPrompt } from "../../src/refactor/actionPrompts";
import { SYSTEM_PROMPT } from "../../src/refactor/actionPrompts";
import { RefactorCodeActions } from "../../src/vscode/refactor/codeActions";
import type { LoadedPrompt } from "../../src/vscode/refactor/promptLibrary";
import type { RefactorRun } from "../../src/vscode/refactor/refactorRunner";
import type { ReviewOutcome } from "../../src/vscode/review/editReview";

const SOURCE = "// math helpers\nexport function scale(values: number[], factor: number): number[] {\n  return values.map((v) => v * factor);\n}\n";
const FUNCTION_SELECTION = new vscode.Range(1, 0, 4, 0); // the function's lines, selected down to the next line's start
const FUNCTION_LINES = new vscode.Range(1, 0, 3, 1);

describe("Refactor commands", function () {
  this.timeout(180_000);
  let api: FreeholdApi;
  let folder: vscode.Uri;
  const collection = vscode.languages.createDiagnosticCollection("refactor-test");

  before(async () => {
    const modelPath = join(mkdtempSync(join(tmpdir(), "freehold-refactor-")), "tiny.gguf");
    await writeModelFile(modelPath, "tiny", { seed: 1 });
    const extension = vscode.extensions.getExtension<FreeholdApi>("freehold.freehold");
    assert.ok(extension);
    api = await extension.activate();
    // One thread: on a loaded 2-core machine two llama.cpp threads wait on each other (measured 6x slower).
    await vscode.workspace.getConfiguration("freehold.model").update("threads", 1, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("path", modelPath, vscode.ConfigurationTarget.Global);
    await api.ensureModel();
    folder = vscode.workspace.workspaceFolders![0].uri;
  });

  after(async () => {
    collection.dispose();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, ".freehold"), { recursive: true }).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration("freehold.model").update("path", undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration("freehold.model").update("threads", undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    collection.clear();
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  /** Awaits the model's output, logging how long it took (for the record, not asserted). */
  async function generated(run: RefactorRun): Promise<string | undefined> {
    const started = Date.now();
    const text = await run.generated;
    console.log(`      (${run.prompt.title}: model output ${text?.length ?? "none"} characters in ${Date.now() - started} ms)`);
    return text;
  }

  async function sourceDocument(): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument({ content: SOURCE, language: "typescript" });
    await vscode.window.showTextDocument(document);
    return document;
  }

  it("offers the rewrite actions on a selection and a quick fix carrying each diagnostic", async () => {
    const document = await sourceDocument();
    const diagnostic = new vscode.Diagnostic(new vscode.Range(2, 9, 2, 15), "Property 'mapp' does not exist on type 'number[]'.", vscode.DiagnosticSeverity.Error);
    collection.set(document.uri, [diagnostic]);
    const onSelection = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", document.uri, FUNCTION_SELECTION);
    const titles = onSelection.map((a) => a.title);
    for (const title of ["Refactor with Freehold", "Add documentation with Freehold", "Explain with Freehold", "Generate tests with Freehold"]) {
      assert.ok(titles.includes(title), `${title} is offered (got ${titles.join(", ")})`);
    }
    const atDiagnostic = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", document.uri, new vscode.Range(2, 10, 2, 10), vscode.CodeActionKind.QuickFix.value);
    const fix = atDiagnostic.find((a) => a.title.startsWith("Fix with Freehold"));
    assert.ok(fix, `a Freehold quick fix at the diagnostic (got ${atDiagnostic.map((a) => a.title).join(", ")})`);
    assert.equal(fix.kind?.value, "quickfix");
    assert.equal(fix.command?.command, "freehold.refactor.fix");
    // The provider's own action carries the diagnostic (the command's conversion above drops that field).
    const direct = new RefactorCodeActions().provideCodeActions(document, new vscode.Range(2, 10, 2, 10), {
      diagnostics: [diagnostic],
      only: undefined,
      triggerKind: vscode.CodeActionTriggerKind.Invoke,
    });
    assert.equal(direct.length, 1);
    assert.equal(direct[0].kind?.value, "quickfix");
    assert.deepEqual(direct[0].diagnostics, [diagnostic]);
    assert.equal((direct[0].command?.arguments?.[0] as { diagnostic?: vscode.Diagnostic }).diagnostic, diagnostic);
    assert.ok(!atDiagnostic.some((a) => a.title === "Refactor with Freehold"), "no rewrite actions without a selection");
  });

  it("Refactor streams the model's rewrite into a review; Accept changes the file, one undo restores it", async () => {
    const document = await sourceDocument();
    const run = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.refactor", { uri: document.uri, range: FUNCTION_SELECTION });
    assert.ok(run?.outcome, "a review started");
    const expected = buildActionPrompt("refactor", {
      selection: { languageId: "typescript", file: document.uri.path.split("/").pop()!, text: document.getText(FUNCTION_LINES), startLine: 1, endLine: 3 },
      diagnostics: [],
    });
    assert.equal(run.prompt.message, expected.message, "the prompt quotes the function's whole lines");
    assert.equal(api.refactor.lastPrompt?.message, expected.message);
    assert.equal(api.refactor.lastPrompt?.system, SYSTEM_PROMPT);
    const proposal = await generated(run);
    assert.equal(typeof proposal, "string", "the model answered");
    assert.equal(document.getText(), SOURCE, "nothing changed before Accept");
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept"), "accepted");
    assert.equal(await run.outcome, "accepted");
    const lines = SOURCE.split("\n");
    assert.equal(document.getText(), [lines[0], proposal!.replace(/\n$/, ""), ...lines.slice(4)].join("\n"));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand("undo");
    assert.equal(document.getText(), SOURCE, "one undo restores the file");
  });

  it("Reject leaves the file untouched; an edit of the selection during the run makes the proposal stale", async () => {
    const document = await sourceDocument();
    const first = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.addDocumentation", { uri: document.uri, range: FUNCTION_SELECTION });
    assert.match(first.prompt.message, /JSDoc/);
    await generated(first);
    assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.reject"), "rejected");
    assert.equal(document.getText(), SOURCE);

    const second = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.refactor", { uri: document.uri, range: FUNCTION_SELECTION });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, 2), "// mine\n  ");
    assert.ok(await vscode.workspace.applyEdit(edit));
    await generated(second);
    // Stale at once when the edit came while the model was writing (the review is over); refused at Accept when it had finished.
    if (api.review.activeCount > 0) assert.equal(await vscode.commands.executeCommand<ReviewOutcome>("freehold.review.accept"), "stale");
    assert.equal(await second.outcome, "stale");
    assert.equal(document.getText(), SOURCE.replace("  return values", "  // mine\n  return values"), "the user's edit stays, the proposal is not applied");
  });

  it("Fix from the quick fix gives the model the diagnostic with its position", async () => {
    const document = await sourceDocument();
    const diagnostic = new vscode.Diagnostic(new vscode.Range(2, 16, 2, 19), "Cannot find name 'mapp'.", vscode.DiagnosticSeverity.Error);
    diagnostic.source = "ts";
    diagnostic.code = 2304;
    const run = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.fix", { uri: document.uri, diagnostic });
    assert.match(run.prompt.message, /^Fix this typescript code\. It has these problems:\nline 3, column 17: error 2304 \(ts\): Cannot find name 'mapp'\.\n\n\S+ \(line 3\):\n```typescript\n  return values\.map/);
    await generated(run);
    await vscode.commands.executeCommand("freehold.review.reject");
    assert.equal(await run.outcome, "rejected");
  });

  it("Explain asks in the chat view: a new conversation with the prompt and the model's answer", async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes("freehold.chat.ask"));
    const document = await sourceDocument();
    const run = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.explain", { uri: document.uri, range: FUNCTION_SELECTION });
    assert.equal(run.prompt.via, "chat-view");
    assert.match(run.prompt.message, /^Explain/);
    const conversation = api.chat.activeConversation;
    assert.ok(conversation, "the chat view shows a conversation");
    assert.equal(conversation.title, `Explain: ${document.uri.path.split("/").pop()}`);
    const [question, answer] = conversation.messages;
    assert.equal(question.role, "user");
    assert.ok(question.text.includes(run.prompt.message.slice(0, 200)), "the chat question is the Explain prompt");
    assert.equal(answer?.role, "assistant");
    assert.ok(answer.text.length > 0 || answer.stopped, "the model answered");
  });

  it("Generate tests opens the conventional test file next to the source, unsaved", async () => {
    const source = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, "sample.py"));
    await vscode.window.showTextDocument(source);
    const run = await vscode.commands.executeCommand<RefactorRun>("freehold.refactor.generateTests", { uri: source.uri, range: new vscode.Range(0, 0, 1, 16) });
    assert.match(run.prompt.message, /using pytest\. .*Import the code from sample\.py\./s);
    assert.equal(run.uri?.scheme, "untitled");
    assert.equal(run.uri?.path, vscode.Uri.joinPath(folder, "test_sample.py").path);
    const code = await generated(run);
    const opened = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri!.toString());
    assert.ok(opened, "the test file is open");
    assert.equal(opened.getText(), code);
  });

  it("a workspace .prompt file becomes a command and runs with its variables filled in", async () => {
    const promptUri = vscode.Uri.joinPath(folder, ".freehold", "prompts", "Tidy Up.prompt");
    const loaded = (predicate: (prompts: readonly LoadedPrompt[]) => boolean) =>
      new Promise<readonly LoadedPrompt[]>((resolve) => {
        if (predicate(api.refactor.prompts.prompts)) return resolve(api.refactor.prompts.prompts);
        const listener = api.refactor.prompts.onDidChange((prompts) => {
          if (predicate(prompts)) {
            listener.dispose();
            resolve(prompts);
          }
        });
      });
    await vscode.workspace.fs.writeFile(
      promptUri,
      new TextEncoder().encode("---\ntitle: Tidy up\ndescription: Tidy the selection\nlanguages: typescript\nmode: rewrite\n---\n\nTidy this {{language}} from {{file}}, {{input}}:\n{{selection}}\nKnown problems:\n{{diagnostics}}\n"),
    );
    const prompts = await loaded((p) => p.some((e) => e.command === "freehold.prompt.workspace.tidy-up"));
    assert.equal(prompts.find((e) => e.command === "freehold.prompt.workspace.tidy-up")?.prompt.title, "Tidy up");
    assert.ok((await vscode.commands.getCommands(true)).includes("freehold.prompt.workspace.tidy-up"), "the prompt is a command");

    const document = await sourceDocument();
    collection.set(document.uri, [new vscode.Diagnostic(new vscode.Range(2, 2, 2, 8), "Unexpected return.", vscode.DiagnosticSeverity.Warning)]);
    const run = await vscode.commands.executeCommand<RefactorRun>("freehold.prompt.workspace.tidy-up", { uri: document.uri, range: FUNCTION_SELECTION, input: "gently" });
    const file = run.prompt.message.match(/ from (\S+), gently:/)?.[1];
    assert.ok(file, run.prompt.message);
    assert.equal(
      api.refactor.lastPrompt?.message,
      `Tidy this typescript from ${file}, gently:\nexport function scale(values: number[], factor: number): number[] {\n  return values.map((v) => v * factor);\n}\nKnown problems:\nline 3, column 3: warning: Unexpected return.`,
    );
    assert.equal(file, vscode.workspace.asRelativePath(document.uri, false));
    await vscode.commands.executeCommand("freehold.refactor.showLastPrompt");
    const shown = vscode.window.activeTextEditor?.document.getText() ?? "";
    assert.ok(shown.includes(`── user ──\n${api.refactor.lastPrompt?.message}\n`), `Show Last Refactor Prompt shows the exact message:\n${shown}`);
    assert.ok(shown.includes(`── system ──\n${api.refactor.lastPrompt?.system}\n`));
    await generated(run);
    assert.equal(await vscode.commands.executeCommand("freehold.review.reject", run.uri), "rejected");

    // A broken header typed in the editor: the problem shows on its line at once; saved, the prompt is dropped.
    const promptDocument = await vscode.workspace.openTextDocument(promptUri);
    assert.equal(promptDocument.languageId, "freehold-prompt");
    const broken = new vscode.WorkspaceEdit();
    broken.replace(promptUri, new vscode.Range(0, 0, promptDocument.lineCount, 0), "---\ntitle: Tidy up\nmode: sometimes\n---\nBody\n");
    assert.ok(await vscode.workspace.applyEdit(broken));
    const problems = api.refactor.promptDiagnostics.problems(promptUri);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].range.start.line, 2);
    assert.match(problems[0].message, /`mode` is `rewrite` or `chat`/);
    assert.ok(await promptDocument.save());
    await loaded((p) => !p.some((e) => e.command === "freehold.prompt.workspace.tidy-up"));
    assert.ok(!(await vscode.commands.getCommands(true)).includes("freehold.prompt.workspace.tidy-up"), "the broken prompt's command is gone");
    assert.deepEqual(vscode.languages.getDiagnostics(promptUri).map((d) => d.range.start.line), [2]);
  });
});
