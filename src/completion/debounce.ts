// Adaptive debounce (Tabby's idea): within a burst of typing, wait about as long as the user's recent pause
// between keystrokes, less at the end of a line, within fixed bounds. A key after a pause waits the least: nothing
// says another is coming, and if one does, its edit stops the work for this one at the worker's next step.

export interface DebounceOptions {
  minMs: number;
  maxMs: number;
  /** Intervals longer than this are pauses, not typing, and are not averaged. */
  pauseMs: number;
  /** Weight of the newest interval in the moving average. */
  smoothing: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { minMs: 15, maxMs: 250, pauseMs: 1000, smoothing: 0.3 };

export class AdaptiveDebounce {
  private last = 0;
  private average: number | undefined;
  /** The last keystroke came after a pause (or was the first). */
  private afterPause = true;

  constructor(private readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {}

  /** Records a keystroke at `now` (ms). */
  keystroke(now: number): void {
    const interval = this.last > 0 ? now - this.last : Infinity;
    this.afterPause = interval >= this.options.pauseMs;
    if (interval > 0 && !this.afterPause) {
      this.average = this.average === undefined ? interval : this.average + this.options.smoothing * (interval - this.average);
    }
    this.last = now;
  }

  /** The moving average of the recent intervals between keystrokes (undefined before two close together). */
  get typingIntervalMs(): number | undefined {
    return this.average === undefined ? undefined : Math.round(this.average);
  }

  /** How long to wait before asking the model; `atLineEnd` halves it (the likeliest moment a suggestion is wanted). */
  delay(atLineEnd: boolean): number {
    const { minMs, maxMs } = this.options;
    if (this.afterPause) return minMs;
    const base = this.average === undefined ? maxMs / 2 : this.average * 1.2;
    const wanted = atLineEnd ? base / 2 : base;
    return Math.round(Math.min(maxMs, Math.max(minMs, wanted)));
  }
}

/**
 * Whether the cursor is at the end of what the user writes on its line: nothing but whitespace follows, or only the
 * closers an editor inserts itself (auto-closed brackets and quotes), perhaps with a `;` or `,` after them. Typing
 * inside `f(|)` is typing at the end of the line, the likeliest moment a suggestion is wanted.
 */
export function atEndOfWriting(lineSuffix: string): boolean {
  return /^[)\]}'"`]*[;,]?\s*$/u.test(lineSuffix);
}

/** Resolves after `ms`, or rejects at once when the signal is aborted (a newer keystroke). */
export function wait(ms: number, signal?: { readonly isCancellationRequested: boolean; onCancellationRequested?: unknown } | AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve(!isCancelled(signal));
    const timer = setTimeout(() => resolve(!isCancelled(signal)), ms);
    if (signal && "addEventListener" in signal) {
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve(false);
      }, { once: true });
    }
  });
}

function isCancelled(signal: unknown): boolean {
  if (!signal) return false;
  if (typeof signal === "object" && signal !== null && "aborted" in signal) return Boolean((signal as AbortSignal).aborted);
  return Boolean((signal as { isCancellationRequested?: boolean }).isCancellationRequested);
}
