// The launched instance: the OS-side adapter (inst.os), the virtual clock controls, inspection.
import type { RuntimeTimerHandle } from "./clock";
import type { Core } from "./core";
import type { DeviceModel } from "./device";
import type { Engine } from "./engine";
import type { Mailbox } from "./mailbox";
import type { TraceEvent } from "./trace";
import type { AnyProtocol, DriverInstance, InstanceStatus, MailboxSnapshot, OsInterface, ThreadSnapshot, Violation } from "./types";

const noEvents: readonly TraceEvent[] = Object.freeze([]);

export class Instance implements DriverInstance<AnyProtocol> {
  readonly os: OsInterface<AnyProtocol>;

  constructor(
    private readonly core: Core,
    private readonly engine: Engine,
  ) {
    const os: Record<string, (payload?: unknown) => unknown> = {};
    for (const name of core.protocol.incoming) {
      const mb = core.byName.get(name)!;
      const reply = core.replyOf(name);
      os[name] =
        reply !== undefined
          ? (payload?: unknown) => core.request(mb, reply, payload)
          : (payload?: unknown) => engine.osSend(mb, payload); // a stopped engine drops it
    }
    this.os = Object.freeze(os) as OsInterface<AnyProtocol>;
  }

  get protocol(): AnyProtocol {
    return this.core.protocol;
  }
  get model(): "active" | "passive" {
    return this.engine.model;
  }
  get device(): DeviceModel {
    return this.core.device;
  }
  get trace(): readonly TraceEvent[] {
    return this.core.tracer?.all() ?? noEvents;
  }
  get protocolState(): string {
    return this.core.monitor.stateName;
  }
  get violations(): readonly Violation[] {
    return this.core.violations;
  }
  get failure(): Error | undefined {
    return this.core.failure;
  }
  get status(): InstanceStatus {
    return this.core.status;
  }

  now(): number {
    return this.core.clock.now;
  }

  after(delayUs: number, fn: () => void): RuntimeTimerHandle {
    const core = this.core;
    return core.clock.after(delayUs, () => {
      try {
        fn();
      } catch (error) {
        core.osErrors.push(error);
      }
    });
  }

  random(): number {
    return this.core.workloadRandom();
  }

  async idle(): Promise<void> {
    const { core } = this;
    const clock = core.clock;
    for (let events = 0; ; events++) {
      await core.settle();
      core.throwPending();
      if (core.status !== "running") return;
      if (clock.foreground === 0) break;
      if (events >= core.maxTimerEvents) {
        throw new Error(
          `idle(): ${events} timer events ran and timers are still pending at ${clock.now} µs (a periodic timer or a sleep loop?): unref() periodic timers, or use advance()/runUntil() (maxTimerEvents)`,
        );
      }
      clock.runNext();
    }
    core.checkUnwaited();
  }

  async advance(us: number): Promise<void> {
    if (!(us >= 0)) throw new RangeError(`advance(${us}): expected a number of microseconds >= 0`);
    const { core } = this;
    const clock = core.clock;
    const target = clock.now + us;
    for (let events = 0; ; events++) {
      await core.settle();
      core.throwPending();
      if (core.status !== "running") return;
      if (clock.nextTime() > target) break;
      if (events >= core.maxTimerEvents) throw new Error(`advance(): ${events} timer events ran before ${target} µs (maxTimerEvents); now ${clock.now} µs`);
      clock.runNext(target);
    }
    clock.now = target;
  }

  async runUntil(until: number | (() => boolean)): Promise<void> {
    const { core } = this;
    const clock = core.clock;
    if (typeof until === "number") return this.advance(Math.max(0, until - clock.now));
    for (let events = 0; ; events++) {
      await core.settle();
      core.throwPending();
      if (until()) return;
      if (core.status !== "running") throw new Error(`runUntil(): the instance is ${core.status} and the condition is still false`);
      if (events >= core.maxTimerEvents) throw new Error(`runUntil(): the condition is still false after ${events} timer events, at ${clock.now} µs (maxTimerEvents)`);
      if (!clock.runNext()) throw new Error(`runUntil(): the condition is still false at ${clock.now} µs and nothing is scheduled`);
    }
  }

  async stop(): Promise<void> {
    this.core.checkUnwaited();
    this.core.stop();
  }

  onEvent(listener: (event: TraceEvent) => void): () => void {
    return this.core.tracer?.listen(listener) ?? (() => {});
  }

  on(name: string, listener: (payload: unknown) => void): () => void {
    return this.core.on(name, listener);
  }

  mailboxes(): MailboxSnapshot[] {
    const { core } = this;
    const all: Mailbox[] = [...core.mailboxes, core.irq, ...this.engine.internalMailboxes()];
    return all.map((mb) => {
      const out = mb.direction === "out";
      const snapshot: { -readonly [K in keyof MailboxSnapshot]: MailboxSnapshot[K] } = {
        name: mb.name,
        direction: mb.direction,
        length: out ? mb.pendingCount() : mb.size,
        queued: out
          ? mb.pendingList(16).map((call) => `${call.request} (since ${call.since} µs)`)
          : mb.peek(16).map((p) => core.summary(p) ?? "undefined"),
        sent: mb.sent,
        delivered: mb.delivered,
      };
      const waiter = this.engine.waiterOf(mb);
      if (waiter !== undefined && !out) snapshot.waiter = waiter;
      return snapshot;
    });
  }

  threads(): ThreadSnapshot[] {
    return this.engine.threads();
  }
}
