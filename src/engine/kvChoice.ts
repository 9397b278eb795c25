// The worker keeps two KV caches (context sequences) for completions, so that one prompt's evaluation does not
// throw away another that is still useful: a cold place's short prompt and its full context, or two files the
// user switches between (DESIGN §2 step 10). Which cache a prompt goes to is decided here, on tokens in the
// worker and on text in the completion pipeline (which only estimates what the worker holds).
import type { Priority } from "./protocol";

/** KV caches the local worker keeps for completions. */
export const COMPLETION_CACHES = 2;
/** Sequences of the worker's context: the completion caches and one for chat. */
export const WORKER_SEQUENCES = COMPLETION_CACHES + 1;

/** What one cache holds and when it was last chosen. */
export interface KeptPrompt<S> {
  /** Tokens or characters. */
  items: S;
  usedAt: number;
}

/**
 * A prompt goes to the cache it continues: the one sharing the longest start with it, when that start is at least
 * half of the prompt (the same place typed on, a prefetch), or when it is (nearly) all the cache holds (a full
 * context resumed after a pre-emption, its cache holding the part evaluated so far, however small).
 * Anything else is a new place and goes to the cache used least recently, keeping the most recent place.
 */
const CONTINUES_SHARE = 0.5;
/** Of what a cache holds, the share a prompt must start with to continue it. */
const HELD_SHARE = 0.9;

export function chooseCache<T>(kept: readonly KeptPrompt<ArrayLike<T>>[], prompt: ArrayLike<T>): number {
  if (kept.length <= 1) return 0;
  let chosen = -1;
  let chosenShared = 0;
  let leastRecent = 0;
  for (let i = 0; i < kept.length; i++) {
    const { items, usedAt } = kept[i];
    const shared = sharedStart(items, prompt);
    const continues = shared > 0 && (shared >= CONTINUES_SHARE * prompt.length || shared >= HELD_SHARE * items.length);
    if (continues && (shared > chosenShared || (shared === chosenShared && usedAt > kept[chosen].usedAt))) {
      chosen = i;
      chosenShared = shared;
    }
    if (usedAt < kept[leastRecent].usedAt) leastRecent = i;
  }
  return chosen >= 0 ? chosen : leastRecent;
}

/**
 * How many tokens of the cache the user is typing in a prefetch may throw away. A prefetch is the next prompt
 * after accepting the suggestion on screen; a multi-line one changes the lines before the cursor, so in that cache
 * it would replace the suffix and all after it, and the keystroke that follows when the user types on instead of
 * accepting had to evaluate them again (in kvCaches.test.ts's real worker: about 720 of a 1,593-token prompt,
 * where the same keystroke without the prefetch evaluates at most 4).
 */
export const PREFETCH_MAX_DISCARD = 32;

/**
 * The cache for a prefetch: as chooseCache, unless that is the cache of the last keystroke (`typingIn`) and the
 * prefetch would throw away more than PREFETCH_MAX_DISCARD of its tokens; then the other cache it continues the
 * most, or the one used least recently. A user who accepts finds the prefetch there (the keystroke's prompt
 * continues it); one who types on finds their place where it was.
 */
export function choosePrefetchCache<T>(kept: readonly KeptPrompt<ArrayLike<T>>[], prompt: ArrayLike<T>, typingIn: number | undefined, maxDiscard = PREFETCH_MAX_DISCARD): number {
  const chosen = chooseCache(kept, prompt);
  if (chosen !== typingIn || kept.length <= 1) return chosen;
  if (kept[chosen].items.length - sharedStart(kept[chosen].items, prompt) <= maxDiscard) return chosen;
  let other = -1;
  let otherShared = -1;
  for (let i = 0; i < kept.length; i++) {
    if (i === typingIn) continue;
    const shared = sharedStart(kept[i].items, prompt);
    if (shared > otherShared || (shared === otherShared && kept[i].usedAt < kept[other].usedAt)) {
      other = i;
      otherShared = shared;
    }
  }
  return other;
}

/**
 * Chooses among one set of completion caches by a request's priority, remembering the last keystroke's cache so a
 * prefetch leaves it (choosePrefetchCache). The worker chooses on tokens; the pipeline's estimate of it on text,
 * with the discard limit in characters.
 */
export class CacheChoice {
  private typingIn: number | undefined;

  constructor(private readonly maxDiscard = PREFETCH_MAX_DISCARD) {}

  choose<T>(kept: readonly KeptPrompt<ArrayLike<T>>[], prompt: ArrayLike<T>, priority: Priority): number {
    const index = priority === "prefetch" ? choosePrefetchCache(kept, prompt, this.typingIn, this.maxDiscard) : chooseCache(kept, prompt);
    if (priority === "interactive") this.typingIn = index;
    return index;
  }
}

/** Length of the common start of two sequences (tokens or characters). */
export function sharedStart<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Strings by char code: indexing a string makes a one-character string of each character.
  const [x, y]: unknown[] = [a, b];
  if (typeof x === "string" && typeof y === "string") while (i < n && x.charCodeAt(i) === y.charCodeAt(i)) i++;
  else while (i < n && a[i] === b[i]) i++;
  return i;
}
