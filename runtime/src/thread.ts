// A cooperative thread of an active driver's domain: its wait set while blocked and how to resume it.
import type { SourceLocation } from "./trace";
import type { DriverContext, ThreadStatus } from "./types";
import { Mailbox } from "./mailbox";
import type { RuntimeTimerHandle } from "./clock";

export class Thread {
  status: ThreadStatus = "runnable";
  /** Mailboxes it waits on (the first `waitCount` entries); reused between waits. */
  readonly waitSet: Mailbox[] = [];
  waitCount = 0;
  /** Resumes the thread: with a delivery (wait), undefined (sleep, start). */
  resolve: ((value: unknown) => void) | null = null;
  /** Where it waits (captured when tracing with locations, or with a gate). */
  waitLoc: SourceLocation | undefined;
  wakeAt: number | undefined;
  sleepTimer: RuntimeTimerHandle | undefined;
  /** Trace id of `thread:<name>`. */
  lifeline = 0;
  /** In the domain's ready queue: its place there (-1: not ready) and the arrival number of its earliest message. */
  heapIndex = -1;
  readyKey = Infinity;
  readonly startBox: Mailbox;
  readonly sleepBox: Mailbox;

  constructor(
    readonly name: string,
    readonly fn: (d: DriverContext) => Promise<void> | void,
    owner: object,
  ) {
    this.startBox = new Mailbox(`${name}.start`, "internal", owner, -1, true, 1);
    this.sleepBox = new Mailbox(`${name}.sleep`, "internal", owner, -1, true, 1);
  }

  get blocked(): boolean {
    return this.waitCount > 0;
  }

  /** The smallest arrival number among the mailboxes it waits on. */
  earliest(): number {
    let best = Infinity;
    for (let i = 0; i < this.waitCount; i++) {
      const mb = this.waitSet[i];
      if (mb.size !== 0) {
        const s = mb.headSeq();
        if (s < best) best = s;
      }
    }
    return best;
  }

  /** The mailbox holding that message. */
  earliestMailbox(): Mailbox | null {
    let best: Mailbox | null = null;
    let bestSeq = Infinity;
    for (let i = 0; i < this.waitCount; i++) {
      const mb = this.waitSet[i];
      if (mb.size !== 0 && mb.headSeq() < bestSeq) {
        bestSeq = mb.headSeq();
        best = mb;
      }
    }
    return best;
  }
}
