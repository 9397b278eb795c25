// Jaccard similarity over identifier tokens, as Copilot and Cody use to find similar code in open files.

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

export function identifierSet(text: string): Set<string> {
  return new Set(text.match(IDENTIFIER) ?? []);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface Window {
  startLine: number;
  endLine: number;
  text: string;
  score: number;
}

/** The best-matching window of `windowLines` lines in `text` for the identifiers of `target`. */
export function bestWindow(text: string, target: ReadonlySet<string>, windowLines = 12, step = 4): Window | undefined {
  const lines = text.split("\n");
  let best: Window | undefined;
  for (let start = 0; start < Math.max(1, lines.length - windowLines + 1); start += step) {
    const slice = lines.slice(start, start + windowLines);
    const score = jaccard(identifierSet(slice.join("\n")), target);
    if (!best || score > best.score) best = { startLine: start + 1, endLine: start + slice.length, text: slice.join("\n"), score };
  }
  return best;
}
