// Background work held back from an edit until the request the edit brings has started answering. VS Code asks
// for ghost text 50 ms after a keystroke (its own debounce); work stopped at the edit is out of the worker by
// then, and held here it does not start again in front of that request.

/** How long a hold lasts when no request comes (the edit was typed through a suggestion, or gated). */
export const EDIT_HOLD_MS = 500;

export class EditHold {
  private held: { released: Promise<void>; release: () => void; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly holdMs = EDIT_HOLD_MS) {}

  /** Starts a hold (or restarts its time limit). */
  hold(): void {
    if (this.held) {
      clearTimeout(this.held.timer);
      this.held.timer = this.timer();
      return;
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { released, release, timer: this.timer() };
  }

  /** Ends the hold: the request it waited for is answering. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    held.release();
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Settles when no hold is on. */
  whenReleased(): Promise<void> {
    return this.held?.released ?? Promise.resolve();
  }

  private timer(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.release(), this.holdMs);
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }
}
