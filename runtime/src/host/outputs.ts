// The files a run writes (trace, capture) are the user's files too: a run must never destroy one.
// So an output is never one of the sources the run loads, two outputs are never the same file, and
// each is written to a temporary file beside its target and renamed into place only when complete:
// a run that fails half-way leaves the old file as it was.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

/** One file a run writes, and what it is ("trace file", "capture file"), for messages. */
export interface OutputTarget {
  path: string;
  what: string;
}

/** Whether `a` and `b` name the same file: the same inode when both exist (through links), else the same resolved path. */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/**
 * Why these outputs cannot be written, or undefined: an output that is one of `sources` (the driver
 * or a file it imports), or two outputs that are the same file.
 */
export function outputClash(targets: readonly OutputTarget[], sources: readonly string[]): string | undefined {
  for (const target of targets) {
    const source = sources.find((s) => sameFile(target.path, s));
    if (source !== undefined) {
      return `the ${target.what} ${target.path} is ${sameFile(source, sources[0] ?? "") ? "the driver" : "a source file the driver loads"} (${source}): refusing to overwrite it; choose another path`;
    }
  }
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const [a, b] = [targets[i]!, targets[j]!];
      if (sameFile(a.path, b.path)) return `the ${a.what} and the ${b.what} are the same file (${a.path}): give each its own path`;
    }
  }
  return undefined;
}

/**
 * Why `target` cannot be written, checked without touching it, or undefined: a directory, a file
 * without write permission, or a missing or read-only parent directory.
 */
export function unwritableReason(target: string): string | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory() === true) return "it is a directory";
  if (stat !== undefined && !stat.isFile()) return "it is not a regular file";
  const dir = path.dirname(path.resolve(target));
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a directory`;
  } catch {
    return `no such directory ${dir}`;
  }
  try {
    // The temporary file is made in the target's directory, then renamed over the target.
    fs.accessSync(dir, fs.constants.W_OK);
    if (stat !== undefined) fs.accessSync(target, fs.constants.W_OK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : String((error as Error).message);
  }
  return undefined;
}

/**
 * An output written to a temporary file in the target's directory (so the rename is atomic) and
 * renamed over the target by commit(); discard() removes it and leaves the target untouched.
 */
export class StagedOutput {
  readonly temporary: string;
  private settled = false;

  constructor(readonly target: string) {
    const resolved = path.resolve(target);
    this.temporary = path.join(path.dirname(resolved), `.${path.basename(resolved)}.${process.pid}-${randomBytes(4).toString("hex")}.partial`);
  }

  /** Moves the finished file into place (a writer that never opened the file leaves an empty one). */
  commit(): void {
    if (this.settled) return;
    this.settled = true;
    if (!fs.existsSync(this.temporary)) fs.writeFileSync(this.temporary, "", { flag: "wx" });
    fs.renameSync(this.temporary, path.resolve(this.target));
  }

  /** Drops what was written; the target keeps its old content. */
  discard(): void {
    if (this.settled) return;
    this.settled = true;
    fs.rmSync(this.temporary, { force: true });
  }
}
