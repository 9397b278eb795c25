// Typing through a shown suggestion: when the text typed since a suggestion was made is the start of it,
// the rest is answered from memory, with no model call (DESIGN §2 step 2).
//
// An entry is keyed by the file, a hash of the text before the cursor's line, a hash of the text after the
// cursor, and the cursor's line up to the cursor in plain. Typing on a line changes only the last part, so
// looking back over the characters typed since a suggestion builds short keys and hashes nothing; the two
// hashes are remembered per file and recomputed only when the text they cover changes (a string comparison,
// not a hash, per keystroke), so a keystroke costs the same in a 1 MB file as in a small one.
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
/** A cursor line longer than this (minified code) is hashed whole: such positions are answered only exactly. */
const MAX_PLAIN_LINE = 4096;
/** Files whose last hashes are remembered. */
const REMEMBERED_FILES = 8;

interface Remembered {
  text: string;
  hash: string;
}

export class SuggestionCache {
  private readonly entries: LRUCache<string, CachedSuggestion>;
  /** Per file: the last hashed text before the cursor's line, and after the cursor. */
  private readonly before = new Map<string, Remembered>();
  private readonly after = new Map<string, Remembered>();

  constructor(capacity = 512) {
    this.entries = new LRUCache({ max: capacity });
  }

  set(key: CacheKey, suggestion: CachedSuggestion): void {
    const texts = suggestion.texts.filter((t) => t.length > 0);
    if (texts.length) this.entries.set(this.keyOf(key).full, { texts });
  }

  /**
   * The suggestion for this position: an exact entry, or one made a few characters earlier on this line
   * whose text starts with what was typed since (then stored forward under the new key).
   */
  get(key: CacheKey): CachedSuggestion | undefined {
    const { full, base, line } = this.keyOf(key);
    const exact = this.entries.get(full);
    if (exact) return exact;
    if (line === undefined) return undefined;
    const limit = Math.min(MAX_TYPED, line.length);
    for (let typedLength = 1; typedLength <= limit; typedLength++) {
      const found = this.entries.get(base + line.slice(0, line.length - typedLength), { updateAgeOnGet: false });
      if (!found) continue;
      const typed = line.slice(line.length - typedLength);
      const texts = found.texts.filter((t) => t.length > typed.length && t.startsWith(typed)).map((t) => t.slice(typed.length));
      if (texts.length === 0) return undefined;
      const forwarded = { texts };
      this.entries.set(full, forwarded);
      return forwarded;
    }
    return undefined;
  }

  /** Forgets every suggestion (the remembered hashes are of texts, not suggestions, and stay). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** `base` + the cursor line's text before the cursor = `full`; `line` is undefined for an over-long line (hashed into `full`). */
  private keyOf(key: CacheKey): { full: string; base: string; line: string | undefined } {
    const lineStart = key.prefix.lastIndexOf("\n") + 1;
    const line = key.prefix.slice(lineStart);
    const base = `${key.path}\u0000${this.hashOf(this.before, key.path, key.prefix.slice(0, lineStart))}\u0000${this.hashOf(this.after, key.path, key.suffix)}\u0000`;
    if (line.length > MAX_PLAIN_LINE) return { full: `${base}#${hash(line)}`, base, line: undefined };
    return { full: base + line, base, line };
  }

  private hashOf(memo: Map<string, Remembered>, path: string, text: string): string {
    const last = memo.get(path);
    if (last && last.text === text) return last.hash;
    const remembered = { text, hash: hash(text) };
    memo.delete(path);
    memo.set(path, remembered);
    if (memo.size > REMEMBERED_FILES) memo.delete(memo.keys().next().value!);
    return remembered.hash;
  }
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}
