// What the refactor commands know about the code they act on; built by the VS Code layer, used by pure code.

export interface CodeSelection {
  /** VS Code language id, e.g. "typescript". */
  readonly languageId: string;
  /** Path of the file, relative to the workspace when it is in one. */
  readonly file: string;
  /** The selected text (whole lines for rewrites). */
  readonly text: string;
  /** 0-based first and last line of the selection. */
  readonly startLine: number;
  readonly endLine: number;
}

export type DiagnosticSeverityName = "error" | "warning" | "info" | "hint";

export interface DiagnosticInfo {
  readonly message: string;
  readonly severity: DiagnosticSeverityName;
  /** 0-based start and end positions. */
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly source?: string;
  readonly code?: string;
}

/** Exactly what is handed to the model: a system prompt and one user message. */
export interface ModelPrompt {
  readonly system: string;
  readonly message: string;
}

/** How a command's answer is used: replaces the selection after review, is read as an answer, or opens as a new file. */
export type OutputMode = "rewrite" | "chat" | "newFile";
