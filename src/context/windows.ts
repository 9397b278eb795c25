// The prefix and suffix windows around the cursor, in whole lines within token budgets, and the line
// arithmetic they need. The prefix window's start is kept per document between keystrokes (an anchor), so the
// prompt's beginning stays the same and the model's KV cache keeps it.
import { DEFAULTS } from "../config/defaults";

export type CountTokens = (text: string) => number;

export interface Windows {
  /** From the prefix window's start to the cursor. */
  prefixStart: number;
  /** Where the kept part of the cursor's line starts (the line start, unless the line is cut). */
  lineStart: number;
  suffixEnd: number;
  /** 1-based lines the windows cover, and the cursor's. */
  startLine: number;
  endLine: number;
  cursorLine: number;
  notes: string[];
}

/** Per document: where the prefix window started last time, so it moves in steps, not every line. */
export class PrefixAnchors {
  private readonly anchors = new Map<string, number>();

  constructor(private readonly capacity = 256) {}

  /**
   * Whole lines back from the cursor's line within the budget. The start is kept from the last call while the
   * window still fits and is at least half full, and a new start leaves a quarter of the budget free.
   */
  start(key: string, text: string, lineStart: number, budget: number, count: CountTokens): number {
    const previous = this.anchors.get(key);
    if (previous !== undefined && previous <= lineStart && (previous === 0 || text[previous - 1] === "\n")) {
      const used = count(text.slice(previous, lineStart));
      if (used <= budget && (previous === 0 || used >= budget / 2)) return previous;
    }
    const fits = linesBackWithin(text, lineStart, budget, count) === 0;
    const start = fits ? 0 : linesBackWithin(text, lineStart, Math.floor(budget * 0.75), count);
    this.anchors.delete(key);
    this.anchors.set(key, start);
    if (this.anchors.size > this.capacity) this.anchors.delete(this.anchors.keys().next().value!);
    return start;
  }

  forget(key: string): void {
    this.anchors.delete(key);
  }
}

/** The windows at `offset`: `prefixTokens` covers the lines before and the cursor's line up to the cursor. */
export function windowsAt(anchors: PrefixAnchors, key: string, text: string, offset: number, prefixTokens: number, suffixTokens: number, count: CountTokens, lines: LineIndex): Windows {
  const maxLine = DEFAULTS.context.maxCursorLineChars;
  const notes: string[] = [];
  const fullLineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const cursorLine = lines.lineAt(key, text, fullLineStart);
  const lineStart = Math.max(fullLineStart, offset - maxLine);
  if (lineStart > fullLineStart) notes.push(`the cursor's line has ${offset - fullLineStart} characters before the cursor; kept the last ${maxLine}`);
  const linesBudget = Math.max(0, prefixTokens - count(text.slice(lineStart, offset)));
  const prefixStart = lineStart > fullLineStart ? lineStart : anchors.start(key, text, lineStart, linesBudget, count);
  const startLine = cursorLine - countNewlines(text, prefixStart, lineStart);
  const suffixEnd = suffixEndOffset(text, offset, suffixTokens, count);
  const endLine = cursorLine + countNewlines(text, offset, suffixEnd) - (suffixEnd > offset && text[suffixEnd - 1] === "\n" ? 1 : 0);
  return { prefixStart, lineStart, suffixEnd, startLine, endLine, cursorLine, notes };
}

/**
 * Line numbers of offsets without counting from the start of the file each time: the last answer per document
 * is kept, and a new one counts only the newlines between the two offsets when the text before the nearer one
 * is the same (a native string comparison, far cheaper than counting a 1 MB file's newlines).
 */
export class LineIndex {
  private readonly last = new Map<string, { text: string; offset: number; line: number }>();

  constructor(private readonly capacity = 64) {}

  /** The 1-based line of `offset` in `text`, the document `key`. */
  lineAt(key: string, text: string, offset: number): number {
    const last = this.last.get(key);
    let line: number;
    if (last && sameStart(last.text, text, Math.min(last.offset, offset))) {
      line = offset >= last.offset ? last.line + countNewlines(text, last.offset, offset) : last.line - countNewlines(text, offset, last.offset);
    } else line = countNewlines(text, 0, offset) + 1;
    this.last.delete(key);
    this.last.set(key, { text, offset, line });
    if (this.last.size > this.capacity) this.last.delete(this.last.keys().next().value!);
    return line;
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}

function sameStart(a: string, b: string, length: number): boolean {
  return a.length >= length && b.length >= length && (a === b || a.slice(0, length) === b.slice(0, length));
}

/** The start of the earliest line such that the text from it to `lineStart` fits `budget`. */
export function linesBackWithin(text: string, lineStart: number, budget: number, count: CountTokens): number {
  let start = lineStart;
  let used = 0;
  while (start > 0) {
    const previous = text.lastIndexOf("\n", start - 2) + 1;
    const cost = count(text.slice(previous, start));
    if (used + cost > budget) break;
    used += cost;
    start = previous;
  }
  return start;
}

/** The end of the suffix window: the rest of the cursor's line, then whole lines within the budget. */
export function suffixEndOffset(text: string, offset: number, budget: number, count: CountTokens): number {
  const maxLine = DEFAULTS.context.maxCursorLineChars;
  let end = text.indexOf("\n", offset);
  if ((end < 0 ? text.length : end) - offset > maxLine) return offset + maxLine;
  if (end < 0) return text.length;
  end += 1;
  let used = count(text.slice(offset, end));
  while (end < text.length) {
    let next = text.indexOf("\n", end);
    next = next < 0 ? text.length : next + 1;
    const cost = count(text.slice(end, next));
    if (used + cost > budget) break;
    used += cost;
    end = next;
  }
  return end;
}

export function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The start of the line `lines` lines before the line starting at `lineStart`. */
export function lineStartBefore(text: string, lineStart: number, lines: number): number {
  let at = lineStart;
  for (let i = 0; i < lines && at > 0; i++) at = text.lastIndexOf("\n", at - 2) + 1;
  return at;
}
