// The domain's ready threads: blocked threads holding at least one deliverable message, ordered by
// the arrival number of their earliest one (a binary min-heap). Dispatch costs O(log threads), not
// a scan of every thread. A ready thread's key does not change while it stays blocked: messages
// only join the tail of its mailboxes, and only the thread itself takes from them once woken.
import type { Thread } from "./thread";

export class ReadyQueue {
  private readonly heap: Thread[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The ready thread with the earliest message, or null. */
  top(): Thread | null {
    return this.heap[0] ?? null;
  }

  /** The earliest arrival number among ready threads (Infinity when none). */
  topKey(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.readyKey;
  }

  has(t: Thread): boolean {
    return t.heapIndex >= 0;
  }

  /** Adds `t` with key `seq` (no-op when it is already there: its key is older). */
  add(t: Thread, seq: number): void {
    if (t.heapIndex >= 0) return;
    t.readyKey = seq;
    t.heapIndex = this.heap.length;
    this.heap.push(t);
    this.up(t.heapIndex);
  }

  remove(t: Thread): void {
    const i = t.heapIndex;
    if (i < 0) return;
    const last = this.heap.pop()!;
    t.heapIndex = -1;
    if (last === t) return;
    this.heap[i] = last;
    last.heapIndex = i;
    this.down(i);
    this.up(last.heapIndex);
  }

  /** The ready threads in key order (for a chooser that picks another than the first). */
  sorted(): Thread[] {
    return [...this.heap].sort((a, b) => a.readyKey - b.readyKey);
  }

  private up(i: number): void {
    const heap = this.heap;
    const t = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.readyKey <= t.readyKey) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const t = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.readyKey < heap[child]!.readyKey) child++;
      const c = heap[child]!;
      if (c.readyKey >= t.readyKey) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = t;
    t.heapIndex = i;
  }
}
