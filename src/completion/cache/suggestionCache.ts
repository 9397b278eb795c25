// Typing through a shown suggestion: when the text typed since a suggestion was made is the start of it,
// the rest is answered from memory, with no model call (DESIGN §2 step 2).
//
// An entry is keyed by the file, a token for the text before the cursor's line, a token for the text after the
// cursor, and the cursor's line up to the cursor in plain. Typing on a line changes only the last part, so
// looking back over the characters typed since a suggestion builds short keys. A token stands for one text:
// the last few texts seen per file are remembered with theirs, a new text is compared with them (equal lengths
// only, a native comparison) and otherwise gets a new token; nothing is hashed, so moving to another line of
// a 1 MB file costs what typing on one does.
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
/** Files whose last texts are remembered, and texts remembered per file on each side of the cursor's line. */
const REMEMBERED_FILES = 8;
const REMEMBERED_TEXTS = 4;

interface Remembered {
  text: string;
  token: string;
}

/** A suggestion typed into: where it was made and what was typed since, so a suggestion that grows later (streamed) is read through. */
interface Entry extends CachedSuggestion {
  origin?: { key: string; typed: string };
}

export class SuggestionCache {
  private readonly entries: LRUCache<string, Entry>;
  /** Per file: the last texts before the cursor's line, and after the cursor, most recent first. */
  private readonly before = new Map<string, Remembered[]>();
  private readonly after = new Map<string, Remembered[]>();
  private tokens = 0;
  /** Each key object's parts, worked out once: a caller asking twice with one key compares no text again. */
  private readonly keyParts = new WeakMap<CacheKey, { full: string; base: string; line: string | undefined }>();
  /** Characters hashed so far (only a cursor line longer than MAX_PLAIN_LINE is): a test holds the cache to that. */
  charsHashed = 0;

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
    if (exact?.origin) {
      const origin = this.entries.get(exact.origin.key, { updateAgeOnGet: false });
      if (!origin) return { texts: exact.texts };
      const texts = typedThrough(origin.texts, exact.origin.typed);
      return texts.length ? { texts } : undefined;
    }
    if (exact) return exact;
    if (line === undefined) return undefined;
    const limit = Math.min(MAX_TYPED, line.length);
    for (let typedLength = 1; typedLength <= limit; typedLength++) {
      const originKey = base + line.slice(0, line.length - typedLength);
      const found = this.entries.get(originKey, { updateAgeOnGet: false });
      if (!found || found.origin) continue;
      const typed = line.slice(line.length - typedLength);
      const texts = typedThrough(found.texts, typed);
      if (texts.length === 0) return undefined;
      this.entries.set(full, { texts, origin: { key: originKey, typed } });
      return { texts };
    }
    return undefined;
  }

  /** Forgets the suggestion made at exactly this position (one shown while streaming that the final text replaced). */
  delete(key: CacheKey): void {
    this.entries.delete(this.keyOf(key).full);
  }

  /** Forgets every suggestion (the remembered texts' tokens are not suggestions, and stay). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** `base` + the cursor line's text before the cursor = `full`; `line` is undefined for an over-long line (hashed into `full`). */
  private keyOf(key: CacheKey): { full: string; base: string; line: string | undefined } {
    let parts = this.keyParts.get(key);
    if (!parts) this.keyParts.set(key, (parts = this.partsOf(key)));
    return parts;
  }

  private partsOf(key: CacheKey): { full: string; base: string; line: string | undefined } {
    const lineStart = key.prefix.lastIndexOf("\n") + 1;
    const line = key.prefix.slice(lineStart);
    const base = `${key.path}\u0000${this.tokenOf(this.before, key.path, key.prefix.slice(0, lineStart))}\u0000${this.tokenOf(this.after, key.path, key.suffix)}\u0000`;
    if (line.length > MAX_PLAIN_LINE) {
      this.charsHashed += line.length;
      return { full: `${base}#${hash(line)}`, base, line: undefined };
    }
    return { full: base + line, base, line };
  }

  private tokenOf(memo: Map<string, Remembered[]>, path: string, text: string): string {
    const texts = memo.get(path) ?? [];
    let found = texts.findIndex((r) => r.text.length === text.length && r.text === text);
    if (found < 0) {
      texts.unshift({ text, token: (this.tokens++).toString(36) });
      if (texts.length > REMEMBERED_TEXTS) texts.pop();
      found = 0;
    }
    const remembered = texts[found];
    remembered.text = text; // the same text; holding the newest string lets older documents go
    if (found > 0) texts.unshift(...texts.splice(found, 1));
    memo.delete(path);
    memo.set(path, texts);
    if (memo.size > REMEMBERED_FILES) memo.delete(memo.keys().next().value!);
    return remembered.token;
  }
}

/** What is left of each text after `typed`, for the texts that start with it and go on. */
function typedThrough(texts: readonly string[], typed: string): string[] {
  return texts.filter((t) => t.length > typed.length && t.startsWith(typed)).map((t) => t.slice(typed.length));
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}
