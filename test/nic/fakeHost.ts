// A DeviceHost for testing the NIC model alone: a virtual clock with a timer queue, a seeded
// random source, and records of interrupts and trace events.
import type { DeviceHost, TimerHandle } from "../../runtime/src/device";
import type { TraceEvent } from "../../runtime/src/trace";

interface Timer {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeHost implements DeviceHost {
  time = 0;
  readonly interrupts: { time: number; isr: number }[] = [];
  readonly events: Pick<TraceEvent, "kind" | "detail" | "fault" | "payload">[] = [];
  private timers: Timer[] = [];
  private order = 0;
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  now(): number {
    return this.time;
  }

  after(delayUs: number, fn: () => void): TimerHandle {
    const t: Timer = { at: this.time + Math.max(0, delayUs), order: this.order++, fn, cancelled: false };
    this.timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  }

  interrupt(isr: number): void {
    this.interrupts.push({ time: this.time, isr });
  }

  random(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  trace(event: Pick<TraceEvent, "kind" | "detail" | "fault" | "payload">): void {
    this.events.push(event);
  }

  /** Runs due timers in (time, order) until `until`; the clock ends at `until`. */
  advance(us: number): void {
    const until = this.time + us;
    for (;;) {
      const live = this.timers.filter((t) => !t.cancelled);
      this.timers = live;
      let next: Timer | undefined;
      for (const t of live) if (t.at <= until && (next === undefined || t.at < next.at || (t.at === next.at && t.order < next.order))) next = t;
      if (next === undefined) break;
      next.cancelled = true;
      this.time = next.at;
      next.fn();
    }
    this.time = until;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  faults(): string[] {
    return this.events.filter((e) => e.kind === "fault").map((e) => e.fault ?? "");
  }
}
