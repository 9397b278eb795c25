// Light-bulb actions: "Fix with Freehold" on each diagnostic (quick fix carrying it), and the rewrite actions on
// a selection.
import * as vscode from "vscode";
import { EditReview } from "../review/editReview";
import type { RefactorTarget } from "./refactorRunner";
import { REFACTOR_COMMANDS } from "./commandIds";

export class RefactorCodeActions implements vscode.CodeActionProvider {
  static readonly rewriteKind = vscode.CodeActionKind.RefactorRewrite.append("freehold");
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, RefactorCodeActions.rewriteKind],
  };

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (document.uri.scheme === EditReview.scheme) return [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const actions: vscode.CodeAction[] = [];
    if (wants(vscode.CodeActionKind.QuickFix)) {
      for (const diagnostic of context.diagnostics) {
        const action = new vscode.CodeAction(`Fix with Freehold: ${shorten(diagnostic.message)}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        const target: RefactorTarget = { uri: document.uri, diagnostic };
        action.command = { command: REFACTOR_COMMANDS.fix, title: action.title, arguments: [target] };
        actions.push(action);
      }
    }
    if (!range.isEmpty && wants(RefactorCodeActions.rewriteKind)) {
      const target: RefactorTarget = { uri: document.uri, range };
      for (const [command, title] of [
        [REFACTOR_COMMANDS.refactor, "Refactor with Freehold"],
        [REFACTOR_COMMANDS.document, "Add documentation with Freehold"],
        [REFACTOR_COMMANDS.explain, "Explain with Freehold"],
        [REFACTOR_COMMANDS.tests, "Generate tests with Freehold"],
      ] as const) {
        const action = new vscode.CodeAction(title, RefactorCodeActions.rewriteKind);
        action.command = { command, title, arguments: [target] };
        actions.push(action);
      }
    }
    return actions;
  }
}

function shorten(message: string): string {
  const line = message.split("\n")[0];
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
