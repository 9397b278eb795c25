// Whether a process still runs, and which children a process has, for the tests and scripts that kill workers and
// parents and check who is left.
import { readdirSync, readFileSync } from "node:fs";

/** True while the process exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A running process: its pid and command line (arguments joined by NUL, as /proc has them). */
export interface ChildProcessInfo {
  pid: number;
  cmdline: string;
}

/** Parent pid of each live (not zombie) process, read from /proc in one pass (Linux only; empty elsewhere). */
export function liveParents(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform !== "linux") return parents;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces: state, parent pid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z") parents.set(Number(entry), Number(ppid));
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/** The live (not zombie) child processes of `parent`; `parents` from liveParents() when several lookups share one read of /proc. */
export function childProcesses(parent: number, parents = liveParents()): ChildProcessInfo[] {
  const found: ChildProcessInfo[] = [];
  for (const [pid, ppid] of parents) {
    if (ppid !== parent) continue;
    try {
      found.push({ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8") });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
