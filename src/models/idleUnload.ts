// Unloads the model after a quiet spell: every engine status moves the timer (ready arms it, work clears it);
// when it fires while the engine is still ready, `unload` runs. The next request loads the model again.
import type { EngineState } from "../engine/client";

export interface IdleUnloadOptions {
  /** Read on every arm, so a settings change applies from the next request on; 0 disables. */
  idleMs: () => number;
  /** The engine's state when the timer fires. */
  currentState: () => EngineState;
  unload: () => void | Promise<void>;
}

export class IdleUnloader {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IdleUnloadOptions) {}

  onState(state: EngineState): void {
    if (state === "ready") this.arm();
    else if (state !== "idle" && state !== "error") this.clear();
  }

  private arm(): void {
    this.clear();
    const ms = this.options.idleMs();
    if (ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.options.currentState() === "ready") void this.options.unload();
    }, ms);
    this.timer.unref?.();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
