// The virtual clock: time in microseconds and a timer heap ordered by (time, order set).
// Nothing here waits for real time; the instance moves the clock (idle, advance, runUntil).
import type { TimerHandle } from "./device";

/** A runtime timer handle; `unref()` lets idle() finish while this timer is pending (periodic timers). */
export interface RuntimeTimerHandle extends TimerHandle {
  unref(): void;
}

class Timer implements RuntimeTimerHandle {
  cancelled = false;
  ref = true;
  constructor(
    readonly clock: VirtualClock,
    readonly time: number,
    readonly order: number,
    readonly fn: () => void,
    /** Where a throw from `fn` goes (none: it propagates out of runNext). */
    readonly onError: ((error: unknown) => void) | undefined,
  ) {}
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.ref) this.clock.foreground--;
  }
  unref(): void {
    if (this.cancelled || !this.ref) return;
    this.ref = false;
    this.clock.foreground--;
  }
}

export class VirtualClock {
  now = 0;
  /** Pending timers that keep idle() going (not cancelled, not unref'd). */
  foreground = 0;
  private heap: Timer[] = [];
  private order = 0;

  /** Runs `fn` after `delayUs`; a throw from it goes to `onError` (no wrapper closure per timer). */
  after(delayUs: number, fn: () => void, onError?: (error: unknown) => void): RuntimeTimerHandle {
    if (!(delayUs >= 0)) throw new RangeError(`after(${delayUs}): the delay must be a number >= 0 (µs)`);
    const timer = new Timer(this, this.now + delayUs, this.order++, fn, onError);
    this.foreground++;
    this.push(timer);
    return timer;
  }

  /** Time of the earliest live timer, or Infinity. */
  nextTime(): number {
    const top = this.peek();
    return top === undefined ? Infinity : top.time;
  }

  /** Runs the earliest live timer if it is due at or before `limit`; moves the clock to its time. */
  runNext(limit = Infinity): boolean {
    const top = this.peek();
    if (top === undefined || top.time > limit) return false;
    this.pop();
    top.cancelled = true;
    if (top.ref) this.foreground--;
    if (top.time > this.now) this.now = top.time;
    const onError = top.onError;
    if (onError === undefined) top.fn();
    else {
      try {
        top.fn();
      } catch (error) {
        onError(error);
      }
    }
    return true;
  }

  /** Drops every timer (the instance stopped). */
  clear(): void {
    for (const t of this.heap) t.cancelled = true;
    this.heap = [];
    this.foreground = 0;
  }

  get pending(): number {
    let n = 0;
    for (const t of this.heap) if (!t.cancelled) n++;
    return n;
  }

  private peek(): Timer | undefined {
    const heap = this.heap;
    while (heap.length > 0 && heap[0].cancelled) this.pop();
    return heap[0];
  }

  private push(t: Timer): void {
    const heap = this.heap;
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(t, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = t;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && earlier(heap[r], heap[l]) ? r : l;
      if (!earlier(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}
