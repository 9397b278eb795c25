// Switching inline completions off and on from the status-bar menu, as Copilot's menu does: everywhere, or for
// the active editor's language. Written where the setting is set most specifically (a workspace value would
// otherwise win over a user value written beside it).
import * as vscode from "vscode";
import { completionsOnFor, switchLanguage, type LanguageSwitches } from "../../completion/languageSwitch";

export type SwitchItem = vscode.QuickPickItem & { run?: () => Promise<void> };

const SECTION = "freehold.completions";

/** Where inline completions are off for the active editor ("everywhere", "for typescript"); undefined when on. */
export function completionsOffWhere(): string | undefined {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (!config.get<boolean>("enabled", true)) return "everywhere";
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  if (languageId && !completionsOnFor(config.get<LanguageSwitches>("languages", { "*": true }), languageId)) return `for ${languageId}`;
  return undefined;
}

/** The menu's section: a switch for everywhere and, in an editor with completions on everywhere, one for its language. */
export function completionSwitchItems(): SwitchItem[] {
  const config = vscode.workspace.getConfiguration(SECTION);
  const enabled = config.get<boolean>("enabled", true);
  const items: SwitchItem[] = [
    { label: "Inline completions", kind: vscode.QuickPickItemKind.Separator },
    {
      label: enabled ? "$(circle-slash) Turn off inline completions" : "$(check) Turn on inline completions",
      description: "everywhere",
      run: () => setCompletionsEnabled(!enabled),
    },
  ];
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  if (enabled && languageId) {
    const on = completionsOnFor(config.get<LanguageSwitches>("languages", { "*": true }), languageId);
    items.push({
      label: on ? `$(circle-slash) Turn off inline completions for ${languageId}` : `$(check) Turn on inline completions for ${languageId}`,
      description: "freehold.completions.languages",
      run: () => setLanguageEnabled(languageId, !on),
    });
  }
  return items;
}

export async function setCompletionsEnabled(on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  await config.update("enabled", on, mostSpecificTarget(config.inspect<boolean>("enabled")));
}

async function setLanguageEnabled(languageId: string, on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<LanguageSwitches>("languages");
  const target = mostSpecificTarget(inspected);
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? inspected?.defaultValue ?? { "*": true };
  await config.update("languages", switchLanguage(current, languageId, on), target);
}

function mostSpecificTarget(inspected: { workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
