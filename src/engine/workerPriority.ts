// The inference worker runs a little below the editor's priority. On a 2-core laptop its threads would
// otherwise take the cores away from the extension host and the renderer exactly when ghost text shown while
// streaming has to reach the screen, and typing stutters while a chat answer streams. With nothing else to
// run, a lower priority costs the worker nothing.
import { getPriority, setPriority } from "node:os";

/** How much nicer than the extension host the worker runs (Unix nice steps; Windows maps it to "below normal"). */
export const WORKER_NICENESS = 5;

/** Lowers `pid`'s priority by `niceness` from this process's; false when the system refused (the worker then runs as it is). */
export function lowerWorkerPriority(pid: number | undefined, niceness = WORKER_NICENESS): boolean {
  if (pid === undefined || niceness <= 0) return false;
  try {
    setPriority(pid, Math.min(19, getPriority() + niceness));
    return true;
  } catch {
    return false;
  }
}
