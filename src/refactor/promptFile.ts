// Custom commands as `.prompt` files: a `---` header of `key: value` lines (title, description, languages,
// mode) and a template body with {{variables}}. Parsing reports every problem with its line.
//
//   ---
//   title: Add logging
//   description: Log the arguments of each function
//   languages: typescript, javascript
//   mode: rewrite
//   ---
//   Add a debug log line to each function of {{file}}:
//   {{selection}}

import type { OutputMode } from "./types";

export const PROMPT_VARIABLES = {
  selection: "the selected code (whole lines)",
  language: "the language id of the file, e.g. typescript",
  file: "the file's path relative to the workspace",
  diagnostics: "the problems reported in the selection, one per line",
  input: "text the user types when the command runs",
  content: "the whole file",
} as const;

export type PromptVariable = keyof typeof PROMPT_VARIABLES;
export type PromptMode = Exclude<OutputMode, "newFile">;

export const HEADER_KEYS = {
  title: "the command's name in menus (required)",
  description: "one line shown beside the title",
  languages: "language ids it applies to, comma-separated (default: all)",
  mode: "rewrite (the answer replaces the selection after review) or chat (the answer is shown)",
} as const;

type HeaderKey = keyof typeof HEADER_KEYS;

// Own properties only: names come from the user's file, and `toString` or `constructor` are on every object.
function isHeaderKey(name: string): name is HeaderKey {
  return Object.hasOwn(HEADER_KEYS, name);
}

export function isPromptVariable(name: string): name is PromptVariable {
  return Object.hasOwn(PROMPT_VARIABLES, name);
}

export interface PromptFile {
  readonly title: string;
  readonly description?: string;
  /** Language ids; undefined applies to every language. */
  readonly languages?: readonly string[];
  readonly mode: PromptMode;
  /** The template, without the header, leading blank lines and trailing whitespace. */
  readonly body: string;
  /** 0-based line of the body's first line in the file. */
  readonly bodyLine: number;
  /** Variables the body uses, in order of first use. */
  readonly variables: readonly PromptVariable[];
}

export interface PromptProblem {
  /** 0-based line and character range of the problem. */
  readonly line: number;
  readonly startCharacter: number;
  readonly endCharacter: number;
  readonly message: string;
}

export interface ParsedPromptFile {
  /** Undefined when the file has problems that keep it from running. */
  readonly prompt?: PromptFile;
  readonly problems: readonly PromptProblem[];
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const DELIMITER = /^---\s*$/;

export function parsePromptFile(text: string): ParsedPromptFile {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const problems: PromptProblem[] = [];
  const problem = (line: number, message: string, start = 0, end = (lines[line] ?? "").length) =>
    problems.push({ line, startCharacter: start, endCharacter: Math.max(end, start + 1), message });

  if (!DELIMITER.test(lines[0] ?? "")) {
    problem(0, "A prompt file starts with a header: a line `---`, then `title: …` and the other keys, then `---`.");
    return { problems };
  }
  const close = lines.findIndex((line, i) => i > 0 && DELIMITER.test(line));
  if (close < 0) {
    problem(0, "The header is not closed: add a line `---` after its last key.");
    return { problems };
  }

  const header = new Map<HeaderKey, { value: string; line: number; valueStart: number }>();
  for (let i = 1; i < close; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const match = /^\s*([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) {
      problem(i, "Expected `key: value` in the header.");
      continue;
    }
    const key = match[1];
    const keyStart = line.indexOf(key);
    if (!isHeaderKey(key)) {
      problem(i, `Unknown header key \`${key}\`; the keys are ${Object.keys(HEADER_KEYS).join(", ")}.`, keyStart, keyStart + key.length);
      continue;
    }
    const earlier = header.get(key);
    if (earlier) {
      problem(i, `\`${key}\` is given twice (first on line ${earlier.line + 1}).`, keyStart, keyStart + key.length);
      continue;
    }
    const valueStart = match[2] ? line.lastIndexOf(match[2]) : line.length;
    header.set(key, { value: match[2], line: i, valueStart });
  }
  const titleEntry = header.get("title");
  const modeEntry = header.get("mode");
  const languagesEntry = header.get("languages");

  const title = titleEntry?.value;
  if (!titleEntry) problem(0, "The header has no `title:`.", 0, 3);
  else if (!title) problem(titleEntry.line, "`title:` is empty.");

  let mode: PromptMode = "rewrite";
  if (modeEntry) {
    const value = modeEntry.value;
    if (value === "rewrite" || value === "chat") mode = value;
    else problem(modeEntry.line, `\`mode\` is \`rewrite\` or \`chat\`, not \`${value}\`.`, modeEntry.valueStart, modeEntry.valueStart + value.length);
  }

  let languages: string[] | undefined;
  if (languagesEntry) {
    const list = languagesEntry.value.split(",").map((s) => s.trim());
    if (list.some((id) => !/^[\w.+-]+$|^\*$/.test(id))) {
      problem(languagesEntry.line, "`languages` is a comma-separated list of language ids, e.g. `typescript, python`.", languagesEntry.valueStart);
    } else if (!list.includes("*")) languages = list;
  }

  let bodyLine = close + 1;
  while (bodyLine < lines.length && lines[bodyLine].trim() === "") bodyLine++;
  const body = lines.slice(bodyLine).join("\n").trimEnd();
  if (!body) problem(close, "The prompt has no body: write the prompt after the header.");

  const variables: PromptVariable[] = [];
  lines.slice(bodyLine).forEach((line, offset) => {
    for (const match of line.matchAll(VARIABLE)) {
      const name = match[1];
      if (isPromptVariable(name)) {
        if (!variables.includes(name)) variables.push(name);
      } else {
        problem(bodyLine + offset, `Unknown variable \`{{${name}}}\`; the variables are ${Object.keys(PROMPT_VARIABLES).map((v) => `{{${v}}}`).join(", ")}.`, match.index, match.index + match[0].length);
      }
    }
  });

  problems.sort((a, b) => a.line - b.line || a.startCharacter - b.startCharacter);
  if (problems.length || !title) return { problems };
  return {
    problems,
    prompt: { title, description: header.get("description")?.value || undefined, languages, mode, body, bodyLine, variables },
  };
}

/** The body with every {{variable}} replaced by its value ("" when not given). */
export function renderPrompt(body: string, values: Partial<Record<PromptVariable, string>>): string {
  return body.replace(VARIABLE, (whole, name: string) => (isPromptVariable(name) ? (values[name] ?? "") : whole));
}

/** Whether a prompt applies to a document of this language. */
export function promptAppliesTo(prompt: PromptFile, languageId: string): boolean {
  return !prompt.languages || prompt.languages.includes(languageId);
}

/** A command-id-safe name from a file name: "Add Logging.prompt" → "add-logging". */
export function promptSlug(fileName: string): string {
  return (
    fileName
      .replace(/\.prompt$/i, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "prompt"
  );
}
