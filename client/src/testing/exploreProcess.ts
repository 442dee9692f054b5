// Runs one `active-driver explore ... --json` in a child process: driver code never runs on the
// extension host's thread, and cancelling kills the process. Pure Node (no vscode).
import { spawn } from "node:child_process";
import { parseExploreReport, type ExploreReport } from "./report";

export interface ExploreProcessOptions {
  /** The Node executable (the extension host's, run as Node) and the CLI's script. */
  node: string;
  cli: string;
  args: string[];
  /** Where the CLI runs: relative paths in its report are relative to it. */
  cwd: string;
  /** Each line the CLI writes to stderr (progress, warnings). */
  onStderr?: (line: string) => void;
  signal?: AbortSignal;
  /** Names the run in errors. */
  source: string;
}

export type ExploreOutcome = { kind: "report"; report: ExploreReport; exitCode: number } | { kind: "cancelled" } | { kind: "error"; message: string };

/** Extra environment of the child: Electron's executable runs as plain Node. */
const CHILD_ENV = { ELECTRON_RUN_AS_NODE: "1" };

export function runExplore(options: ExploreProcessOptions): Promise<ExploreOutcome> {
  return new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve({ kind: "cancelled" });
      return;
    }
    const child = spawn(options.node, [options.cli, ...options.args], {
      cwd: options.cwd,
      env: { ...process.env, ...CHILD_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    let partial = "";
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      child.kill("SIGKILL");
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8").on("data", (text: string) => stdout.push(text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr.push(text);
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") options.onStderr?.(line);
    });
    child.on("error", (error) => {
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ kind: "error", message: `${options.source}: could not start ${options.node}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (partial.trim() !== "") options.onStderr?.(partial);
      if (cancelled) {
        resolve({ kind: "cancelled" });
        return;
      }
      const errText = stderr.join("").trim();
      if (code !== 0 && code !== 1) {
        const why = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve({ kind: "error", message: `${options.source}: the exploration ${why}${errText !== "" ? `: ${lastLines(errText)}` : ""}` });
        return;
      }
      try {
        resolve({ kind: "report", report: parseExploreReport(stdout.join(""), options.cwd, options.source), exitCode: code });
      } catch (error) {
        resolve({ kind: "error", message: `${error instanceof Error ? error.message : String(error)}${errText !== "" ? `\n${lastLines(errText)}` : ""}` });
      }
    });
  });
}

function lastLines(text: string, count = 8): string {
  return text.split("\n").slice(-count).join("\n");
}
