// A spare worker, loaded and waiting: step back, reverse continue and recounting replay into it at
// once instead of paying for a worker start and the driver's load (most of a replay's time).
import * as fs from "node:fs";
import { DebugWorkerHandle } from "./workerHandle";

export class SpareWorker {
  private spare: { worker: DebugWorkerHandle; stamp: string } | undefined;

  /** Starts one for this run, unless one waits already. `files`: the driver's, to notice edits. */
  prepare(driver: string, scenario: string, seed: number, files: readonly string[], choices?: readonly number[]): void {
    if (this.spare !== undefined) return;
    this.spare = { worker: new DebugWorkerHandle(driver, scenario, seed, choices), stamp: stamp(files) };
  }

  /** The spare, if it is alive and the driver's files have not changed since it loaded them. */
  take(files: readonly string[]): DebugWorkerHandle | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (spare === undefined) return undefined;
    if (spare.worker.alive && spare.stamp === stamp(files)) return spare.worker;
    void spare.worker.dispose();
    return undefined;
  }

  dispose(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    return spare?.worker.dispose() ?? Promise.resolve();
  }

  get alive(): boolean {
    return this.spare?.worker.alive === true;
  }
}

/** Size and mtime of the driver's files: a spare loaded before an edit must not be used after it. */
function stamp(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const st = fs.statSync(file);
        return `${file}:${st.size}:${st.mtimeMs}`;
      } catch {
        return `${file}:missing`;
      }
    })
    .join("|");
}
