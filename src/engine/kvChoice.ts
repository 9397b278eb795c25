// The worker keeps two KV caches (context sequences) for completions, so that one prompt's evaluation does not
// throw away another that is still useful: a cold place's short prompt and its full context, or two files the
// user switches between (DESIGN §2 step 10). Which cache a prompt goes to is decided here, on tokens in the
// worker and on text in the completion pipeline (which only estimates what the worker holds).

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
 * this share of the prompt (the same place typed on, a prefetch, the full context resumed after a pre-emption).
 * Anything else is a new place and goes to the cache used least recently, keeping the most recent place.
 */
const CONTINUES_SHARE = 0.5;

export function chooseCache<T>(kept: readonly KeptPrompt<ArrayLike<T>>[], prompt: ArrayLike<T>): number {
  if (kept.length <= 1) return 0;
  let best = 0;
  let bestShared = -1;
  let leastRecent = 0;
  for (let i = 0; i < kept.length; i++) {
    const shared = sharedStart(kept[i].items, prompt);
    if (shared > bestShared || (shared === bestShared && kept[i].usedAt > kept[best].usedAt)) {
      best = i;
      bestShared = shared;
    }
    if (kept[i].usedAt < kept[leastRecent].usedAt) leastRecent = i;
  }
  return bestShared > 0 && bestShared >= CONTINUES_SHARE * prompt.length ? best : leastRecent;
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
