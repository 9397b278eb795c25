// A ring of recently edited and viewed code chunks (llama.vscode keeps one like it). A chunk whose lines are
// nearly the same as a kept one (Jaccard over the sets of trimmed lines > 0.9), or that covers the same
// lines of the same file, replaces it; past the capacity the oldest goes.
import { jaccard, lineSet } from "./similarity";

export type RecentKind = "recent-edit" | "recent-view";

export interface RecentChunk {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  kind: RecentKind;
  /** When it was added (ms since the epoch). */
  at: number;
}

export interface RecentChunkInput {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  kind?: RecentKind;
}

export const DUPLICATE_SIMILARITY = 0.9;

export class RecentChunks {
  private chunks: Array<RecentChunk & { lines: Set<string> }> = [];

  constructor(
    readonly capacity = 16,
    private readonly now: () => number = Date.now,
  ) {}

  add(input: RecentChunkInput): void {
    if (!input.text.trim()) return;
    const lines = lineSet(input.text);
    let kind: RecentKind = input.kind ?? "recent-edit";
    this.chunks = this.chunks.filter((c) => {
      const sameRegion = c.path === input.path && c.startLine <= input.endLine && input.startLine <= c.endLine;
      const duplicate = sameRegion || jaccard(c.lines, lines) > DUPLICATE_SIMILARITY;
      // Viewing what was just edited keeps it an edit.
      if (duplicate && c.kind === "recent-edit" && c.path === input.path) kind = "recent-edit";
      return !duplicate;
    });
    this.chunks.push({ path: input.path, startLine: input.startLine, endLine: input.endLine, text: input.text, kind, at: this.now(), lines });
    if (this.chunks.length > this.capacity) this.chunks.splice(0, this.chunks.length - this.capacity);
  }

  /** Newest first. */
  list(): RecentChunk[] {
    const out: RecentChunk[] = [];
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const { lines: _lines, ...chunk } = this.chunks[i];
      out.push(chunk);
    }
    return out;
  }

  /** Drops a file's chunks (closed or deleted). */
  forget(path: string): void {
    this.chunks = this.chunks.filter((c) => c.path !== path);
  }

  clear(): void {
    this.chunks = [];
  }

  get size(): number {
    return this.chunks.length;
  }
}
