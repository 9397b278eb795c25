// Whether a process still runs, for the tests and scripts that kill workers and parents and check who is left.

/** True while the process exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
