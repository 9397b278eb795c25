// A prefetch or a warm-up evaluates its prompt in steps, and a keystroke that pre-empts it waits for the current
// step to end (a decode call cannot be interrupted). The steps are sized by time, not by a token count: 32 tokens
// took ~120 ms at 2 threads, but ~240 ms at the one thread the editor's default leaves on 2 cores, and up to
// ~500 ms beside the editor's own work (bench:editor's worker queue times).

/** What one step aims at; each decode call also costs ~15 ms of its own, so much shorter steps waste time. */
const STEP_MS = 80;
const MIN_TOKENS = 8;
const MAX_TOKENS = 64;

export class BackgroundSteps {
  /** Tokens per millisecond of recent steps (moving average); the first guess is 32 tokens in 120 ms. */
  private tokensPerMs = 32 / 120;

  /** Tokens in the next step. */
  get size(): number {
    return Math.max(MIN_TOKENS, Math.min(MAX_TOKENS, Math.round(STEP_MS * this.tokensPerMs)));
  }

  observe(tokens: number, ms: number): void {
    if (tokens <= 0 || ms <= 0) return;
    this.tokensPerMs += 0.3 * (tokens / ms - this.tokensPerMs);
  }
}
