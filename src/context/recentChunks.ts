// A ring of recently edited and viewed code chunks (llama.vscode keeps one like it), de-duplicated by similarity.
import { identifierSet, jaccard } from "./similarity";

export interface Chunk {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  kind: "recent-edit" | "recent-view";
  at: number;
}

export class RecentChunks {
  private chunks: Chunk[] = [];

  constructor(private readonly capacity = 16) {}

  add(chunk: Omit<Chunk, "at">): void {
    if (!chunk.text.trim()) return;
    const words = identifierSet(chunk.text);
    // A near-copy of a kept chunk replaces it (the newer text and time win).
    this.chunks = this.chunks.filter((c) => !(c.path === chunk.path && jaccard(identifierSet(c.text), words) > 0.9) && !(c.path === chunk.path && overlaps(c, chunk)));
    this.chunks.push({ ...chunk, at: Date.now() });
    if (this.chunks.length > this.capacity) this.chunks.splice(0, this.chunks.length - this.capacity);
  }

  /** Newest first. */
  list(): readonly Chunk[] {
    return [...this.chunks].reverse();
  }

  clear(): void {
    this.chunks = [];
  }
}

function overlaps(a: { startLine: number; endLine: number }, b: { startLine: number; endLine: number }): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}
