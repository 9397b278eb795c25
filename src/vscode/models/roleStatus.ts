// The status-bar lines about roles: a loaded model that does not suit its role (shown once per file and role,
// as an error for completions and a warning for chat), and the memory plan when both models do not fit.
import * as vscode from "vscode";
import type { EngineStatus } from "../../engine/client";
import { roleProblem, type ModelRole } from "../../models/roleEngines";

export class RoleProblems {
  private readonly lines = new Map<ModelRole | "memory", string>();
  /** The model file each role was last checked with. */
  private readonly checked = new Map<ModelRole, string>();

  constructor(
    private readonly show: (lines: string[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Checks a role's model once it is ready (once per file). */
  check(role: ModelRole, status: EngineStatus): void {
    if (status.state !== "ready" || !status.model || this.checked.get(role) === status.model.path) return;
    this.checked.set(role, status.model.path);
    this.lines.delete(role);
    const problem = roleProblem(role, { name: status.model.name, fim: status.model.infill, chatTemplate: status.model.chatTemplate ?? true });
    if (problem) {
      this.lines.set(role, problem.message);
      this.log(`[models] ${problem.message}`);
      if (problem.level === "error") {
        void vscode.window.showErrorMessage(`Freehold: ${problem.message}`, "Choose Completion Model…").then((c) => c && vscode.commands.executeCommand("freehold.selectModel"));
      } else void vscode.window.showWarningMessage(`Freehold: ${problem.message}`);
    }
    this.update();
  }

  /** The role models changed: check them afresh when they are ready. */
  reset(): void {
    this.checked.clear();
    this.lines.delete("completion");
    this.lines.delete("chat");
    this.update();
  }

  setMemory(line: string | undefined): void {
    if (line) this.lines.set("memory", line);
    else this.lines.delete("memory");
    this.update();
  }

  private update(): void {
    this.show([...this.lines.values()]);
  }
}
