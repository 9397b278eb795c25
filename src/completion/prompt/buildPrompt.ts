// Assembles the token pieces of a FIM prompt. What changes least comes first (snippets, then the path,
// then the prefix up to the start of the current line), and the text typed on the current line goes after
// the middle token, so that a keystroke only evaluates the current line's new tokens (DESIGN §2 step 5).
import type { PromptPiece } from "../../engine/protocol";
import type { FamilyTokens } from "./families";
import { lineComment } from "./comments";

export interface PromptSnippet {
  path: string;
  text: string;
}

export interface PromptInput {
  repoName: string;
  /** Workspace-relative path of the current file. */
  path: string;
  languageId: string;
  snippets: readonly PromptSnippet[];
  /** The file before the current line. */
  prefix: string;
  /** The current line before the cursor. */
  linePrefix: string;
  /** The rest of the current line and the lines after it. */
  suffix: string;
}

/** The rest of a line that only closes what the line opened (an editor's auto-closed brackets and quotes, `;`, `,`). */
const CLOSERS_ONLY = /^[)\]}"'`;,]+$/;

/**
 * The suffix the model sees. When the rest of the cursor's line is only closers, it is left out (the line ends at
 * the cursor): typing `(` auto-closes a `)`, typing over it removes it, and with it in the suffix each of those
 * keystrokes changed the prompt before the whole suffix, which was evaluated again (354 tokens, 2.4–2.5 s to
 * the first token at one thread in bench:editor). The model still sees the opener in the line before the cursor,
 * and mergeRestOfLine (post-processing) merges a result that writes the closers with the ones on the line.
 */
export function promptSuffix(suffix: string): string {
  const lineEnd = suffix.indexOf("\n");
  const rest = lineEnd < 0 ? suffix : suffix.slice(0, lineEnd);
  return CLOSERS_ONLY.test(rest.trim()) ? suffix.slice(rest.length) : suffix;
}

export function buildPrompt(tokens: FamilyTokens, input: PromptInput): PromptPiece[] {
  const pieces: PromptPiece[] = [];
  const suffix = promptSuffix(input.suffix);
  const text = (value: string) => {
    if (value) pieces.push({ text: value });
  };
  const special = (value: string) => pieces.push({ special: value });

  let head = "";
  if (tokens.repoName && tokens.fileSep) {
    special(tokens.repoName);
    text(`${input.repoName}\n`);
    for (const snippet of input.snippets) {
      special(tokens.fileSep);
      text(`${snippet.path}\n${withNewline(snippet.text)}`);
    }
    special(tokens.fileSep);
    text(`${input.path}\n`);
  } else {
    head = commentedContext(input);
  }

  if (tokens.suffixFirst) {
    special(tokens.suffix);
    text(suffix);
    special(tokens.prefix);
    text(head + input.prefix + input.linePrefix);
    return pieces;
  }

  special(tokens.prefix);
  text((tokens.spaced ? " " : "") + head + input.prefix);
  special(tokens.suffix);
  text(suffix);
  special(tokens.middle);
  text(input.linePrefix);
  return pieces;
}

/** For families without file separators: the snippets and the path as comments ahead of the prefix. */
function commentedContext(input: PromptInput): string {
  const comment = lineComment(input.languageId);
  const lines: string[] = [];
  for (const snippet of input.snippets) {
    lines.push(`${comment} ${snippet.path}`);
    for (const line of snippet.text.replace(/\n$/, "").split("\n")) lines.push(`${comment} ${line}`);
  }
  lines.push(`${comment} ${input.path}`);
  return `${lines.join("\n")}\n`;
}

function withNewline(value: string): string {
  return value.endsWith("\n") ? value : `${value}\n`;
}

/** The prompt as one string, special tokens written out: what "Show Last Prompt" displays. */
export function promptText(pieces: readonly PromptPiece[]): string {
  return pieces.map((piece) => ("text" in piece ? piece.text : piece.special)).join("");
}
