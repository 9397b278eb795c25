// Renaming a finished temp file over its target. On Windows that fails with EPERM, EBUSY or EACCES while
// another process has the target open (a virus scanner, the search indexer, a second VS Code window reading it);
// the lock is short-lived, so the rename is tried again with growing pauses, as graceful-fs and VS Code do.
import { rename as fsRename } from "node:fs/promises";

const TRANSIENT = new Set(["EPERM", "EBUSY", "EACCES"]);

export interface RenameRetryOptions {
  /** The rename to use (fs.promises.rename). */
  rename?: (from: string, to: string) => Promise<void>;
  /** Tries in all, the first included. */
  attempts?: number;
  /** Pause before the second try; doubled each time up to 400 ms (10 tries wait about 2 s in all). */
  firstDelayMs?: number;
}

export async function renameWithRetry(from: string, to: string, options: RenameRetryOptions = {}): Promise<void> {
  const rename = options.rename ?? fsRename;
  const attempts = Math.max(1, options.attempts ?? 10);
  let delay = options.firstDelayMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= attempts || !code || !TRANSIENT.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 400);
    }
  }
}
