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

/** The live (not zombie) child processes of `parent`, read from /proc (Linux only); [] elsewhere. */
export function childProcesses(parent: number): ChildProcessInfo[] {
  if (process.platform !== "linux") return [];
  const found: ChildProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces: state, parent pid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== parent || state === "Z") continue;
      found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8") });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
