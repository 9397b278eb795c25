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

/** Reads a setting by its full name (`freehold.model.idleUnloadMinutes`); the editor passes VS Code's. */
export type ReadSetting = (name: string) => unknown;

export const IDLE_UNLOAD_SETTING = "freehold.model.idleUnloadMinutes";
/** The chat model's own idle time; unset (null) follows IDLE_UNLOAD_SETTING. */
export const CHAT_IDLE_UNLOAD_SETTING = "freehold.chat.idleUnloadMinutes";
const IDLE_UNLOAD_DEFAULT_MINUTES = 15;
const CHAT_ON_DEMAND_MINUTES = 2;

function minutes(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? Math.max(0, value) : undefined;
}

/** A role's idle minutes before its model is unloaded (0: never): chat's own setting when set, else the shared one. */
export function roleIdleMinutes(role: "completion" | "chat", read: ReadSetting): number {
  const own = role === "chat" ? minutes(read(CHAT_IDLE_UNLOAD_SETTING)) : undefined;
  return own ?? minutes(read(IDLE_UNLOAD_SETTING)) ?? IDLE_UNLOAD_DEFAULT_MINUTES;
}

/** What "Load the chat model only when asked" writes: a short idle time for the chat model only. */
export function chatOnDemandSettings(): Array<{ name: string; value: number }> {
  return [{ name: CHAT_IDLE_UNLOAD_SETTING, value: CHAT_ON_DEMAND_MINUTES }];
}
