// When the host may fork the inference worker again. Every fork asks this policy first, whether it follows a
// crash, a worker killed while loading, a hang or a plain first start:
//   - backoff: the n-th consecutive failure waits backoffMs[n-1] before the next fork;
//   - circuit breaker: after `breakAfter` consecutive failures no fork happens until the user asks (reset);
//   - rate cap: never more than `maxForksPerMinute` forks in any 60 s, whatever the reason.
// A worker that served a request successfully ends the run of failures.

export interface RestartPolicyOptions {
  /** Wait before the fork after the 1st, 2nd, … consecutive failure (the last value repeats). */
  backoffMs?: readonly number[];
  /** Consecutive failures after which the circuit opens. */
  breakAfter?: number;
  maxForksPerMinute?: number;
  now?: () => number;
}

export type ForkDecision = { kind: "now" } | { kind: "wait"; ms: number } | { kind: "open"; failures: number };

export const DEFAULT_BACKOFF_MS: readonly number[] = [0, 1000, 2000, 5000, 10000];
export const DEFAULT_BREAK_AFTER = 5;
export const DEFAULT_MAX_FORKS_PER_MINUTE = 12;
const MINUTE = 60_000;

export class RestartPolicy {
  private failures = 0;
  private lastFailureAt = 0;
  private forks: number[] = [];
  readonly backoffMs: readonly number[];
  readonly breakAfter: number;
  readonly maxForksPerMinute: number;
  private readonly now: () => number;

  constructor(options: RestartPolicyOptions = {}) {
    this.backoffMs = options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS;
    this.breakAfter = Math.max(1, options.breakAfter ?? DEFAULT_BREAK_AFTER);
    this.maxForksPerMinute = Math.max(1, options.maxForksPerMinute ?? DEFAULT_MAX_FORKS_PER_MINUTE);
    this.now = options.now ?? Date.now;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get isOpen(): boolean {
    return this.failures >= this.breakAfter;
  }

  /** May a worker be forked now; if not, how long until it may (or never, until reset). */
  decide(): ForkDecision {
    if (this.isOpen) return { kind: "open", failures: this.failures };
    const now = this.now();
    this.forks = this.forks.filter((at) => now - at < MINUTE);
    let wait = 0;
    if (this.failures > 0) {
      const backoff = this.backoffMs[Math.min(this.failures - 1, this.backoffMs.length - 1)];
      wait = Math.max(wait, this.lastFailureAt + backoff - now);
    }
    if (this.forks.length >= this.maxForksPerMinute) wait = Math.max(wait, this.forks[0] + MINUTE - now);
    return wait > 0 ? { kind: "wait", ms: wait } : { kind: "now" };
  }

  recordFork(): void {
    this.forks.push(this.now());
  }

  /** A worker died, hung, failed to start or was killed while loading. */
  recordFailure(): void {
    this.failures++;
    this.lastFailureAt = this.now();
  }

  /** A worker answered a request: the run of failures is over. */
  recordHealthy(): void {
    this.failures = 0;
  }

  /** The user asked for a fresh start (Restart Worker, another model): the breaker closes. */
  reset(): void {
    this.failures = 0;
  }

  /** Forks in the last 60 s. */
  forksInLastMinute(): number {
    const now = this.now();
    return this.forks.filter((at) => now - at < MINUTE).length;
  }
}
