// The snippets' ranking, de-duplication and packing into the token budget. The packed block is ordered by
// path and line, so it does not change from one keystroke to the next and the model's KV cache keeps it.
import { jaccard, lineSet } from "./similarity";
import type { Candidate, Snippet, SnippetReason } from "./types";

const RANK: Record<SnippetReason, number> = { "imported-definition": 0, "enclosing-scope": 1, "recent-edit": 2, "similar-code": 3, "recent-view": 4 };

/** Drops snippets inside the prompt's own window, overlapping a better one, or nearly the same text as a better one; best first. */
export function dedupe(candidates: Candidate[], path: string, windowStart: number, windowEnd: number): Candidate[] {
  const ranked = [...candidates].sort(byRank);
  const kept: Array<Candidate & { lines: Set<string> }> = [];
  for (const c of ranked) {
    if (c.path === path && c.reason !== "enclosing-scope" && c.startLine <= windowEnd && windowStart <= c.endLine) continue;
    const lines = lineSet(c.text);
    if (lines.size === 0) continue;
    const duplicate = kept.some((k) => (k.path === c.path && k.startLine <= c.endLine && c.startLine <= k.endLine) || jaccard(k.lines, lines) > 0.9);
    if (!duplicate) kept.push({ ...c, lines });
  }
  return kept;
}

function byRank(a: Candidate, b: Candidate): number {
  return RANK[a.reason] - RANK[b.reason] || a.order - b.order || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine);
}

/** Best first into the budget (a snippet that does not fit is skipped for smaller ones); then by path and line. */
export function pack(ranked: Candidate[], budget: number, count: (t: string) => number): Snippet[] {
  const chosen: Snippet[] = [];
  let used = 0;
  for (const c of ranked) {
    const overhead = count(c.path) + 4;
    let text = c.text;
    let cost = count(text) + overhead;
    if (used + cost > budget && c.reason === "imported-definition" && budget - used - overhead > 40) {
      // The best-ranked definitions are worth their first lines.
      text = fitLines(text, budget - used - overhead, count);
      cost = count(text) + overhead;
    }
    if (used + cost > budget) continue;
    used += cost;
    chosen.push({ path: c.path, startLine: c.startLine, endLine: c.endLine, reason: c.reason, ...(c.symbol ? { symbol: c.symbol } : {}), text });
  }
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || a.endLine - b.endLine));
}

function fitLines(text: string, budget: number, count: (t: string) => number): string {
  const lines = text.split("\n");
  let used = count("…") + 1;
  let n = 0;
  while (n < lines.length && used + count(lines[n]) + 1 <= budget) used += count(lines[n++]) + 1;
  return n === 0 ? "" : `${lines.slice(0, n).join("\n")}\n…`;
}
