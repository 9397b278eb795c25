// Typing through a shown suggestion: when the text typed since a suggestion was made is the start of it,
// the rest is answered from memory, with no model call (DESIGN §2 step 2).
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

export interface CachedSuggestion {
  /** The texts offered at this position (the first is shown; others are cycled through). */
  texts: string[];
}

export interface CacheKey {
  path: string;
  /** Document text before the cursor. */
  prefix: string;
  /** Document text after the cursor. */
  suffix: string;
}

/** How far back (in characters typed on the same line) a suggestion can be typed through. */
const MAX_TYPED = 256;

export class SuggestionCache {
  private readonly entries: LRUCache<string, CachedSuggestion>;

  constructor(capacity = 512) {
    this.entries = new LRUCache({ max: capacity });
  }

  set(key: CacheKey, suggestion: CachedSuggestion): void {
    const texts = suggestion.texts.filter((t) => t.length > 0);
    if (texts.length) this.entries.set(keyOf(key), { texts });
  }

  /**
   * The suggestion for this position: an exact entry, or one made a few characters earlier on this line
   * whose text starts with what was typed since (then stored forward under the new key).
   */
  get(key: CacheKey): CachedSuggestion | undefined {
    const exact = this.entries.get(keyOf(key));
    if (exact) return exact;
    const lineStart = key.prefix.lastIndexOf("\n") + 1;
    const limit = Math.min(MAX_TYPED, key.prefix.length - lineStart);
    for (let typedLength = 1; typedLength <= limit; typedLength++) {
      const earlier = key.prefix.slice(0, key.prefix.length - typedLength);
      const found = this.entries.get(keyOf({ ...key, prefix: earlier }), { updateAgeOnGet: false });
      if (!found) continue;
      const typed = key.prefix.slice(earlier.length);
      const texts = found.texts.filter((t) => t.length > typed.length && t.startsWith(typed)).map((t) => t.slice(typed.length));
      if (texts.length === 0) return undefined;
      const forwarded = { texts };
      this.entries.set(keyOf(key), forwarded);
      return forwarded;
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(key: CacheKey): string {
  return `${key.path}\u0000${hash(key.prefix)}\u0000${hash(key.suffix)}`;
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}
