// Wires the refactor feature into VS Code: commands, prompt files and their diagnostics. The light-bulb code
// actions are registered by the extension's entry (src/extension.ts): VS Code asks for them on every cursor move,
// which must not load the rest of Freehold.
import * as vscode from "vscode";
import type { ChatRoleEngine } from "../../models/roleEngines";
import type { RefactorActionId } from "../../refactor/actionPrompts";
import type { EditReview } from "../review/editReview";
import { OPEN_PROMPTS_FOLDER_COMMAND, REFACTOR_COMMANDS, RUN_PROMPT_COMMAND, SHOW_LAST_PROMPT_COMMAND } from "./commandIds";
import { PromptDiagnostics } from "./promptDiagnostics";
import { PromptLibrary, WORKSPACE_PROMPTS_FOLDER, type LoadedPrompt } from "./promptLibrary";
import { RefactorRunner, type LastRefactorPrompt, type RefactorRun, type RefactorTarget } from "./refactorRunner";

export interface RefactorApi {
  readonly runner: RefactorRunner;
  readonly prompts: PromptLibrary;
  readonly promptDiagnostics: PromptDiagnostics;
  /** What the last refactor command gave the model. */
  readonly lastPrompt: LastRefactorPrompt | undefined;
}

export function registerRefactor(context: vscode.ExtensionContext, engine: ChatRoleEngine, review: EditReview, log: (line: string) => void): RefactorApi {
  const runner = new RefactorRunner(engine, review, log);
  const promptDiagnostics = new PromptDiagnostics();
  const prompts = new PromptLibrary(context.globalStorageUri, promptDiagnostics, (entry, args) => runner.runPromptFile(entry.prompt, targetOf(args)), log);

  context.subscriptions.push(
    promptDiagnostics,
    prompts,
    ...Object.entries(REFACTOR_COMMANDS).map(([action, command]) =>
      vscode.commands.registerCommand(command, (args?: unknown) => runner.runAction(action as RefactorActionId, targetOf(args))),
    ),
    vscode.commands.registerCommand(RUN_PROMPT_COMMAND, (args?: unknown) => pickAndRun(prompts, targetOf(args))),
    vscode.commands.registerCommand(SHOW_LAST_PROMPT_COMMAND, () => showLastPrompt(runner.lastPrompt)),
    vscode.commands.registerCommand(OPEN_PROMPTS_FOLDER_COMMAND, () => openPromptsFolder(prompts)),
  );
  return {
    runner,
    prompts,
    promptDiagnostics,
    get lastPrompt() {
      return runner.lastPrompt;
    },
  };
}

/** Arguments of the commands: a RefactorTarget (code actions, tests), a Uri (editor context menu) or nothing. */
function targetOf(args: unknown): RefactorTarget {
  if (args instanceof vscode.Uri) return { uri: args };
  if (args && typeof args === "object") {
    const { uri, range, diagnostic, input } = args as Record<string, unknown>;
    return {
      uri: uri instanceof vscode.Uri ? uri : typeof uri === "string" ? vscode.Uri.parse(uri) : undefined,
      range: range instanceof vscode.Range ? range : undefined,
      diagnostic: diagnostic instanceof vscode.Diagnostic ? diagnostic : undefined,
      input: typeof input === "string" ? input : undefined,
    };
  }
  return {};
}

async function pickAndRun(prompts: PromptLibrary, target: RefactorTarget): Promise<RefactorRun | undefined> {
  await prompts.ready;
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const available = languageId ? prompts.forLanguage(languageId) : [...prompts.prompts];
  type Item = vscode.QuickPickItem & { entry?: LoadedPrompt };
  const items: Item[] = available.map((entry) => ({
    label: entry.prompt.title,
    description: entry.prompt.description,
    detail: `${entry.source === "workspace" ? "workspace" : "user"} · ${entry.prompt.mode} · ${vscode.workspace.asRelativePath(entry.uri)}`,
    entry,
  }));
  items.push({ label: "$(folder-opened) Open the prompts folder…" });
  const picked = await vscode.window.showQuickPick(items, {
    title: "Freehold: Run Prompt",
    placeHolder: available.length ? "Run a prompt file on the selection" : `No prompt files yet: add *.prompt files to ${WORKSPACE_PROMPTS_FOLDER}/ or your user prompts folder`,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.entry) {
    await openPromptsFolder(prompts);
    return undefined;
  }
  return vscode.commands.executeCommand<RefactorRun | undefined>(picked.entry.command, target);
}

async function openPromptsFolder(prompts: PromptLibrary): Promise<void> {
  const folders = prompts.folders();
  const picked =
    folders.length === 1
      ? folders[0]
      : await vscode.window.showQuickPick(
          folders.map((f) => ({ label: f.source === "workspace" ? "Workspace prompts" : "User prompts", description: f.uri.fsPath, folder: f })),
          { title: "Freehold: Open Prompts Folder" },
        ).then((item) => item?.folder);
  if (!picked) return;
  await vscode.workspace.fs.createDirectory(picked.uri);
  const example = vscode.Uri.joinPath(picked.uri, "example.prompt");
  try {
    await vscode.workspace.fs.stat(example);
  } catch {
    await vscode.workspace.fs.writeFile(example, new TextEncoder().encode(EXAMPLE_PROMPT));
  }
  await vscode.window.showTextDocument(example);
}

const EXAMPLE_PROMPT = `---
title: Make it defensive
description: Check the arguments and fail early with clear errors
languages: *
mode: rewrite
---
Rewrite this {{language}} code from {{file}} so that it checks its arguments and fails early with clear error messages.
{{selection}}
`;

async function showLastPrompt(last: LastRefactorPrompt | undefined): Promise<void> {
  if (!last) {
    void vscode.window.showInformationMessage("Freehold has not run a refactor command yet in this window.");
    return;
  }
  const text = [
    `Freehold — last refactor prompt: ${last.title} (${last.at.toLocaleTimeString()}, ${last.via === "engine" ? "sent to the model" : "sent to the chat view"})`,
    ...(last.system !== undefined ? ["── system ──", last.system] : []),
    "── user ──",
    last.message,
    "",
  ].join("\n");
  const document = await vscode.workspace.openTextDocument({ content: text, language: "markdown" });
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
