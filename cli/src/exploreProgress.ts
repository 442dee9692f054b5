// The progress line of a long exploration: runs done (of how many), runs per second, failures and
// coverage, redrawn in place at most ten times a second. Only on a terminal and not with --json:
// a pipe or a CI log gets the failures and the summary line, nothing else.

export interface ProgressOutput {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

/** Redraws at most this often (ms). */
const REDRAW_MS = 100;

export class ExploreProgress {
  private runs = 0;
  private failed = 0;
  private covered: { covered: number; total: number } | undefined;
  private readonly started: number;
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly total: number | undefined,
    /** False when stdout is not a terminal or the report is JSON: then nothing is drawn. */
    readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Whether explore should draw a progress line for this output and mode. */
  static wanted(out: ProgressOutput, json: boolean): boolean {
    return out.isTTY === true && !json && process.env["CI"] === undefined;
  }

  /** One run finished. */
  result(ok: boolean): void {
    this.runs++;
    if (!ok) this.failed++;
    this.draw(false);
  }

  /** Transitions (protocol state, message) covered so far, of those the protocol enables. */
  coverage(covered: number, total: number): void {
    this.covered = { covered, total };
    this.draw(false);
  }

  /** Prints `text` (whole lines) above the progress line. */
  print(text: string): void {
    this.clear();
    this.out.write(text);
    this.draw(true);
  }

  /** Removes the line (before the summary). */
  done(): void {
    this.clear();
  }

  /** The line's text: "explore: 120/400 runs, 85.3 runs/s, 2 failed, coverage 23/31". */
  text(): string {
    const seconds = Math.max(0.001, (this.now() - this.started) / 1000);
    const rate = this.runs / seconds;
    const of = this.total !== undefined ? `/${this.total}` : "";
    const cov = this.covered !== undefined ? `, coverage ${this.covered.covered}/${this.covered.total}` : "";
    return `explore: ${this.runs}${of} runs, ${rate.toFixed(rate < 10 ? 1 : 0)} runs/s, ${this.failed} failed${cov}`;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.out.write(`\r\x1b[K${this.text()}`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.enabled || !this.shown) return;
    this.out.write("\r\x1b[K");
    this.shown = false;
  }
}
