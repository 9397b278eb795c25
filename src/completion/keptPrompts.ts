// The pipeline's estimate, as text, of what the engine's completion KV caches hold: it tells a cold place (answer
// from a short prompt) from a warm one. The engine chooses its cache by the same rule (kvChoice.ts) on tokens.
import type { ModelInfo, Priority } from "../engine/protocol";
import { CacheChoice, PREFETCH_MAX_DISCARD, sharedStart, type KeptPrompt } from "../engine/kvChoice";

/** The worker's prefetch discard limit is in tokens; about four characters each. */
const PREFETCH_MAX_DISCARD_CHARS = PREFETCH_MAX_DISCARD * 4;

export class KeptPrompts {
  private kept: KeptPrompt<string>[] = [{ items: "", usedAt: 0 }];
  private uses = 0;
  private choice = new CacheChoice(PREFETCH_MAX_DISCARD_CHARS);
  private model: ModelInfo | undefined;

  /** Starts afresh when the model changes (a new model's caches hold nothing). */
  forModel(model: ModelInfo | undefined): void {
    if (this.model === model) return;
    this.model = model;
    this.kept = Array.from({ length: Math.max(1, model?.completionCaches ?? 1) }, () => ({ items: "", usedAt: 0 }));
    this.choice = new CacheChoice(PREFETCH_MAX_DISCARD_CHARS);
  }

  /** The longest start of `text` that one of the caches holds. */
  cachedStart(text: string): number {
    return Math.max(...this.kept.map((entry) => sharedStart(entry.items, text)));
  }

  /** The cache `text` is about to be evaluated into (marked used); then `evaluated` or `interrupted`. */
  choose(text: string, priority: Priority = "background"): number {
    const index = this.choice.choose(this.kept, text, priority);
    this.kept[index].usedAt = ++this.uses;
    return index;
  }

  evaluated(index: number, text: string): void {
    this.kept[index].items = text;
  }

  /** A failed or cancelled evaluation keeps at least the start it shared with what was there. */
  interrupted(index: number, text: string): void {
    const entry = this.kept[index];
    entry.items = entry.items.slice(0, sharedStart(entry.items, text));
  }
}
