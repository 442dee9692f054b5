// A driver may block its worker thread in a child process it runs synchronously (execFileSync). The
// runner terminates and unrefs such a worker once the result is in, but the thread only ends when
// the child does, and Node joins worker threads before the process exits. So when the command line
// exits, the child processes still running are the drivers' (the CLI starts none of its own): they
// are killed, and `run` ends as soon as it has printed its result.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

/** Process ids whose parent is this process: from /proc on Linux, else `pgrep -P`. */
export function childProcesses(): number[] {
  if (fs.existsSync("/proc/self/stat")) {
    const out: number[] = [];
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
        // After "pid (comm) state": the parent's pid (comm may hold spaces and parentheses).
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === process.pid) out.push(Number(name));
      } catch {
        // the process ended meanwhile
      }
    }
    return out;
  }
  if (process.platform === "win32") return [];
  try {
    return execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l !== "")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

/** At exit, kills the child processes drivers left running. */
export function endDriverChildrenAtExit(): void {
  process.once("exit", () => {
    for (const pid of childProcesses()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}
