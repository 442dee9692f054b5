// The launched instance: the OS-side adapter (inst.os), the virtual clock controls, inspection.
import type { RuntimeTimerHandle } from "./clock";
import type { Core } from "./core";
import type { DeviceModel } from "./device";
import type { Engine } from "./engine";
import type { ChoiceKind } from "./explore/chooser";
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
      os[name] = reply !== undefined ? (payload?: unknown) => core.request(mb, reply, payload) : (payload?: unknown) => engine.osSend(mb, payload); // a stopped engine drops it
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
      // User code: it may leave promise work behind, which runs before the next timer.
      core.owesTick = true;
      try {
        fn();
      } catch (error) {
        core.osErrors.push(error);
      }
    });
  }

  /**
   * after() for OS-side code in this package whose timer callbacks are synchronous (they queue no
   * promise work of their own): the clock loop goes on to the next timer without a microtask turn
   * unless the callback woke the driver or settled a request.
   */
  afterSync(delayUs: number, fn: () => void): RuntimeTimerHandle {
    return this.core.clock.after(delayUs, fn, this.core.osError);
  }

  random(): number {
    return this.core.workloadRandom();
  }

  choose(kind: ChoiceKind, options: number, label?: (index: number) => string): number {
    return this.core.chooser.choose(kind, options, label);
  }

  idle(): Promise<void> {
    const { core } = this;
    const clock = core.clock;
    core.owesTick = true;
    let events = 0;
    return core.loop(() => {
      core.throwPending();
      if (core.status !== "running") return true;
      if (clock.foreground === 0) {
        core.checkUnwaited();
        return true;
      }
      if (events >= core.maxTimerEvents) {
        throw new Error(
          `idle(): ${events} timer events ran and timers are still pending at ${clock.now} µs (a periodic timer or a sleep loop?): unref() periodic timers, or use advance()/runUntil() (maxTimerEvents)`,
        );
      }
      events++;
      clock.runNext();
      return false;
    });
  }

  advance(us: number): Promise<void> {
    if (!(us >= 0)) return Promise.reject(new RangeError(`advance(${us}): expected a number of microseconds >= 0`));
    const { core } = this;
    const clock = core.clock;
    const target = clock.now + us;
    core.owesTick = true;
    let events = 0;
    return core.loop(() => {
      core.throwPending();
      if (core.status !== "running") return true;
      if (clock.nextTime() > target) {
        clock.now = target;
        return true;
      }
      if (events >= core.maxTimerEvents) throw new Error(`advance(): ${events} timer events ran before ${target} µs (maxTimerEvents); now ${clock.now} µs`);
      events++;
      clock.runNext(target);
      return false;
    });
  }

  runUntil(until: number | (() => boolean)): Promise<void> {
    const { core } = this;
    const clock = core.clock;
    if (typeof until === "number") return this.advance(Math.max(0, until - clock.now));
    core.owesTick = true;
    let events = 0;
    return core.loop(() => {
      core.throwPending();
      if (until()) return true;
      if (core.status !== "running") throw new Error(`runUntil(): the instance is ${core.status} and the condition is still false`);
      if (events >= core.maxTimerEvents)
        throw new Error(`runUntil(): the condition is still false after ${events} timer events, at ${clock.now} µs (maxTimerEvents)`);
      events++;
      if (!clock.runNext()) throw new Error(`runUntil(): the condition is still false at ${clock.now} µs and nothing is scheduled`);
      return false;
    });
  }

  async stop(): Promise<void> {
    this.core.checkUnwaited();
    this.core.stop();
  }

  onEvent(listener: (event: TraceEvent, message?: unknown) => void): () => void {
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
        queued: out ? mb.pendingList(16).map((call) => `${call.request} (since ${call.since} µs)`) : mb.peek(16).map((p) => core.summary(p) ?? "undefined"),
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
