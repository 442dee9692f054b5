// The decisions of an exploring run, kept where the parent can read them after the worker is gone:
// a run the watchdog or the memory limit stops never reports its schedule, and without its choices
// the failure's schedule file would not replay it. The first cell counts the decisions (written
// after each one, atomically, so the parent never reads a count ahead of its values); then the
// decisions as doubles (a share of a window takes values up to 2^32 - 1).

/** Decisions kept per run; past this the log holds the first ones (a replay takes the default after them). */
export const CHOICE_LOG_CAPACITY = 1 << 17;

const HEADER_BYTES = 8;

export function createChoiceLog(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + CHOICE_LOG_CAPACITY * Float64Array.BYTES_PER_ELEMENT);
}

/** The worker's side: cleared at each run's start, appended to at each decision. */
export class ChoiceLogWriter {
  private readonly count: Int32Array;
  private readonly values: Float64Array;
  private n = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.count = new Int32Array(buffer, 0, 1);
    this.values = new Float64Array(buffer, HEADER_BYTES, CHOICE_LOG_CAPACITY);
  }

  clear(): void {
    this.n = 0;
    Atomics.store(this.count, 0, 0);
  }

  push(choice: number): void {
    if (this.n >= CHOICE_LOG_CAPACITY) return;
    this.values[this.n] = choice;
    Atomics.store(this.count, 0, ++this.n);
  }
}

/** The parent's side: the decisions of the run in progress (up to the capacity). */
export function readChoiceLog(buffer: SharedArrayBuffer): number[] {
  const count = Atomics.load(new Int32Array(buffer, 0, 1), 0);
  return Array.from(new Float64Array(buffer, HEADER_BYTES, count));
}
