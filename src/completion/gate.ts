// Whether a keystroke should ask for an inline completion at all (DESIGN §2 step 1).
import { completionsOnFor } from "./languageSwitch";

export interface GateFacts {
  languageId: string;
  /** `freehold.completions.languages`: language id → enabled, with "*" as the default. */
  languages: Readonly<Record<string, boolean>>;
  uriScheme: string;
  cursorCount: number;
  /** The current line after the cursor. */
  lineSuffix: string;
  /** The user invoked completion explicitly (Alt+\): always runs. */
  manual: boolean;
  /** A single-line suggestion was just accepted. */
  justAcceptedLine: boolean;
  /** Bytes in the document; huge files are skipped with a reason. */
  documentLength: number;
}

export const MAX_DOCUMENT_LENGTH = 4 * 1024 * 1024;

/** undefined when the request may go on; otherwise the reason it is skipped (for the debug log). */
export function gate(facts: GateFacts): string | undefined {
  if (facts.uriScheme === "vscode-scm" || facts.uriScheme === "output" || facts.uriScheme === "debug") return `not a code editor (${facts.uriScheme})`;
  if (facts.documentLength > MAX_DOCUMENT_LENGTH) return `document is ${(facts.documentLength / 1048576).toFixed(1)} MB, over the ${MAX_DOCUMENT_LENGTH / 1048576} MB limit`;
  if (facts.manual) return undefined;
  if (!completionsOnFor(facts.languages, facts.languageId)) return `completions are off for ${facts.languageId}`;
  if (facts.cursorCount > 1) return "several cursors";
  if (/^\w/u.test(facts.lineSuffix)) return "word characters follow the cursor";
  if (facts.justAcceptedLine) return "a line was just accepted";
  return undefined;
}
