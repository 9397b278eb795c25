// Similar code in other open files, as Copilot and Cody find it: Jaccard similarity between the identifier
// tokens of the lines before the cursor and those of every sliding window of lines in another document.
// Token lines are kept per document (until its text changes) and the window slides with running counts,
// so a document costs one pass over its tokens.

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Words every language repeats; they say nothing about what code is about. */
const STOP_WORDS = new Set([
  "const", "let", "var", "function", "return", "if", "else", "for", "while", "do", "switch", "case", "break", "continue",
  "new", "this", "self", "class", "import", "from", "export", "default", "async", "await", "try", "catch", "finally",
  "throw", "true", "false", "null", "undefined", "None", "True", "False", "def", "in", "of", "is", "not", "and", "or",
  "public", "private", "protected", "static", "void", "int", "string", "number", "boolean", "fn", "pub", "mut", "impl",
  "use", "mod", "struct", "enum", "type", "interface", "extends", "implements", "func", "package", "go", "nil", "err",
  "the", "a", "an", "to", "end", "then", "elif", "pass", "with", "as", "lambda", "yield", "auto", "char", "long", "bool",
  "include", "std", "using", "namespace", "template", "typename", "final", "override", "readonly", "get", "set",
]);

export function identifierTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.match(IDENTIFIER) ?? []) if (!STOP_WORDS.has(match) && match.length > 1) out.push(match);
  return out;
}

export function identifierSet(text: string): Set<string> {
  return new Set(identifierTokens(text));
}

/** The set of a text's non-blank lines, trimmed (for near-duplicate checks). */
export function lineSet(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed) set.add(trimmed);
  }
  return set;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface Window {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  score: number;
}

/** The lines of a text and each line's identifier tokens. */
export interface TokenLines {
  lines: string[];
  tokens: string[][];
}

export function tokenLines(text: string): TokenLines {
  const lines = text.split("\n");
  return { lines, tokens: lines.map(identifierTokens) };
}

/**
 * The window of `windowLines` lines of `doc` whose identifiers are most like `target` (Jaccard over
 * distinct identifiers), sliding one line at a time. Blank windows score 0.
 */
export function bestWindow(doc: string | TokenLines, target: ReadonlySet<string>, windowLines = 16): Window | undefined {
  const { lines, tokens } = typeof doc === "string" ? tokenLines(doc) : doc;
  if (target.size === 0 || lines.length === 0) return undefined;
  const counts = new Map<string, number>();
  let distinct = 0;
  let shared = 0;
  const add = (row: number) => {
    for (const token of tokens[row]) {
      const n = counts.get(token) ?? 0;
      counts.set(token, n + 1);
      if (n === 0) {
        distinct++;
        if (target.has(token)) shared++;
      }
    }
  };
  const remove = (row: number) => {
    for (const token of tokens[row]) {
      const n = counts.get(token)!;
      if (n === 1) {
        counts.delete(token);
        distinct--;
        if (target.has(token)) shared--;
      } else counts.set(token, n - 1);
    }
  };
  const size = Math.min(windowLines, lines.length);
  const filled = (row: number) => (lines[row].trim() ? 1 : 0);
  let nonBlank = 0;
  for (let row = 0; row < size; row++) {
    add(row);
    nonBlank += filled(row);
  }
  let bestScore = -1;
  let bestStart = 0;
  let bestFilled = 0;
  for (let start = 0; start + size <= lines.length; start++) {
    if (start > 0) {
      remove(start - 1);
      add(start + size - 1);
      nonBlank += filled(start + size - 1) - filled(start - 1);
    }
    const score = distinct === 0 ? 0 : shared / (distinct + target.size - shared);
    // On a tie the window with more code in it (fewer blank lines) wins.
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && nonBlank > bestFilled)) {
      bestScore = score;
      bestStart = start;
      bestFilled = nonBlank;
    }
  }
  if (bestScore <= 0) return undefined;
  // Trim blank lines at the window's edges.
  let first = bestStart;
  let last = bestStart + size - 1;
  while (first < last && !lines[first].trim()) first++;
  while (last > first && !lines[last].trim()) last--;
  return { startLine: first + 1, endLine: last + 1, text: lines.slice(first, last + 1).join("\n"), score: bestScore };
}

/** Keeps each open document's token lines until its text changes, and its best window per target. */
export class SimilarityIndex {
  private readonly docs = new Map<string, { text: string; tokens: TokenLines; targetKey?: string; window?: Window }>();

  constructor(private readonly capacity = 32) {}

  bestWindow(path: string, text: string, target: ReadonlySet<string>, targetKey: string, windowLines = 16): Window | undefined {
    let entry = this.docs.get(path);
    if (!entry || entry.text !== text) {
      entry = { text, tokens: tokenLines(text) };
      this.docs.set(path, entry);
      while (this.docs.size > this.capacity) this.docs.delete(this.docs.keys().next().value!);
    }
    if (entry.targetKey !== targetKey) {
      entry.window = bestWindow(entry.tokens, target, windowLines);
      entry.targetKey = targetKey;
    }
    return entry.window;
  }
}
