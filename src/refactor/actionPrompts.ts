// The prompts of the built-in refactor actions: Explain, Refactor, Fix, Add documentation, Generate tests.
import { docStyleFor } from "./docStyle";
import type { CodeSelection, DiagnosticInfo, ModelPrompt, OutputMode } from "./types";

export type RefactorActionId = "explain" | "refactor" | "fix" | "document" | "tests";

export interface ActionInfo {
  readonly id: RefactorActionId;
  readonly title: string;
  readonly mode: OutputMode;
}

export const ACTIONS: Record<RefactorActionId, ActionInfo> = {
  explain: { id: "explain", title: "Explain", mode: "chat" },
  refactor: { id: "refactor", title: "Refactor", mode: "rewrite" },
  fix: { id: "fix", title: "Fix", mode: "rewrite" },
  document: { id: "document", title: "Add Documentation", mode: "rewrite" },
  tests: { id: "tests", title: "Generate Tests", mode: "newFile" },
};

export interface ActionInput {
  readonly selection: CodeSelection;
  /** Diagnostics in or at the selection (Fix needs at least one). */
  readonly diagnostics?: readonly DiagnosticInfo[];
  /** What the user asked for on top of the action ("make it iterative"). */
  readonly instructions?: string;
  /** Test framework to use for "tests" (from the project), else the language's usual one. */
  readonly testFramework?: string;
}

export const SYSTEM_PROMPT =
  "You are Freehold, a careful coding assistant running on the user's machine. You are precise and brief, and you never invent APIs.";

const REWRITE_RULES = (languageId: string) =>
  `Reply with only the complete replacement code in one \`\`\`${languageId} fenced code block: no explanation before or after it. Keep the code's behaviour, names and indentation unless asked otherwise.`;

/** The code with its location, fenced, as the prompts quote it. */
export function quoteCode(selection: CodeSelection): string {
  const lines = selection.startLine === selection.endLine ? `line ${selection.startLine + 1}` : `lines ${selection.startLine + 1}-${selection.endLine + 1}`;
  return `${selection.file} (${lines}):\n${fence(selection.text, selection.languageId)}`;
}

/** A fenced block that its own content cannot close. */
export function fence(text: string, languageId = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${languageId}\n${text.replace(/\n$/, "")}\n${ticks}`;
}

/** One line per diagnostic: "line 3, column 5: error TS2322 (ts): Type 'string' is not assignable…". */
export function formatDiagnostics(diagnostics: readonly DiagnosticInfo[]): string {
  return diagnostics
    .map((d) => {
      const code = d.code ? ` ${d.code}` : "";
      const source = d.source ? ` (${d.source})` : "";
      return `line ${d.startLine + 1}, column ${d.startCharacter + 1}: ${d.severity}${code}${source}: ${d.message}`;
    })
    .join("\n");
}

export function buildActionPrompt(action: RefactorActionId, input: ActionInput): ModelPrompt {
  const { selection } = input;
  const language = selection.languageId;
  const extra = input.instructions?.trim() ? `\n\nAlso: ${input.instructions.trim()}` : "";
  switch (action) {
    case "explain":
      return {
        system: SYSTEM_PROMPT,
        message: `Explain what this ${language} code does, how it works and anything surprising in it. Answer in Markdown.\n\n${quoteCode(selection)}${extra}`,
      };
    case "refactor":
      return {
        system: SYSTEM_PROMPT,
        message: `Refactor this ${language} code to make it clearer and simpler without changing what it does.\n\n${quoteCode(selection)}${extra}\n\n${REWRITE_RULES(language)}`,
      };
    case "fix": {
      const diagnostics = input.diagnostics ?? [];
      const problems = diagnostics.length ? `It has these problems:\n${formatDiagnostics(diagnostics)}` : "It has a bug.";
      return {
        system: SYSTEM_PROMPT,
        message: `Fix this ${language} code. ${problems}\n\n${quoteCode(selection)}${extra}\n\n${REWRITE_RULES(language)}`,
      };
    }
    case "document": {
      const style = docStyleFor(language);
      return {
        system: SYSTEM_PROMPT,
        message: `Add documentation to this ${language} code in the ${style.name} style. ${style.instruction} Do not change the code itself.\n\n${quoteCode(selection)}${extra}\n\n${REWRITE_RULES(language)}`,
      };
    }
    case "tests": {
      const framework = input.testFramework ?? "the usual test framework of the language";
      return {
        system: SYSTEM_PROMPT,
        message: `Write unit tests for this ${language} code using ${framework}. Cover normal cases, edge cases and errors. Import the code from ${selection.file}.\n\n${quoteCode(selection)}${extra}\n\nReply with only the complete test file in one \`\`\`${language} fenced code block.`,
      };
    }
  }
}
