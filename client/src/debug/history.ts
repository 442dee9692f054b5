// The history of one run: its trace events (by seq), its deliveries (by position) and the hits of
// counted breakpoints (conditions, hit counts). Replays of the seed repeat them; what a replay
// reports is checked against the record, and a replay that goes another way (the driver changed on
// disk) replaces the record from where it differs. Reverse continue searches it backwards.
import * as fs from "node:fs";
import * as path from "node:path";
import type { TraceEvent } from "active-driver";
import { outputClash, StagedOutput, unwritableReason } from "active-driver/host";
import { isCounted, parseHitCondition } from "./breakpointOptions";
import { exceptionTest } from "./exceptionConditions";
import { decorate, exceptionHit, stopAt, type Judge } from "./stops";
import { Sandbox } from "./worker/sandbox";
import type { BreakpointSpec, Delivery, HitRecord, StopHit } from "./worker/messages";

function sameEvent(a: TraceEvent, b: TraceEvent): boolean {
  return (
    a.kind === b.kind && a.time === b.time && a.from === b.from && a.to === b.to && a.mailbox === b.mailbox && a.payload === b.payload && a.detail === b.detail
  );
}

function sameDelivery(a: Delivery, b: Delivery): boolean {
  return a.seq === b.seq && a.mailbox === b.mailbox && a.thread === b.thread && a.traceLength === b.traceLength;
}

export interface Absorbed {
  /** Events not known before, in seq order. */
  fresh: TraceEvent[];
  /** The trace event where a replay first differed from the record, if it did. */
  divergedAt?: number;
}

export class RunHistory {
  readonly events: TraceEvent[] = [];
  /** Exception conditions, evaluated again here as the worker did (they see the recorded event only). */
  private sandboxMade: Sandbox | undefined;
  private readonly exceptionTest = exceptionTest(() => (this.sandboxMade ??= new Sandbox()));
  readonly deliveries: Delivery[] = [];
  /** Count key -> position -> the counts its hits there reached (the same in every replay). */
  private readonly hits = new Map<string, Map<number, number[]>>();

  clear(): void {
    this.events.length = 0;
    this.deliveries.length = 0;
    this.hits.clear();
  }

  /** Adds hits a worker reports (replays report the same ones again: kept once). */
  recordHits(records: readonly HitRecord[]): void {
    for (const r of records) {
      let byPosition = this.hits.get(r.key);
      if (byPosition === undefined) this.hits.set(r.key, (byPosition = new Map()));
      const counts = byPosition.get(r.position);
      if (counts === undefined) byPosition.set(r.position, [r.count]);
      else if (!counts.includes(r.count)) counts.push(r.count);
    }
  }

  /**
   * The stop rule's judge from the record: a counted breakpoint stops where its condition held and
   * its count met the hit condition. Complete only for breakpoints the current worker has had since
   * the start (runtime.ts recounts first when one is not).
   */
  readonly judge: Judge = (c, position) => {
    if (c.bp.logMessage !== undefined) return undefined;
    if (!isCounted(c.bp)) return c.hit;
    const counts = this.hits.get(c.key)?.get(position) ?? [];
    const hitCondition = c.bp.hitCondition !== undefined ? parseHitCondition(c.bp.hitCondition) : undefined;
    const count = hitCondition === undefined ? counts[0] : "test" in hitCondition ? counts.find(hitCondition.test) : undefined;
    return count === undefined ? undefined : decorate(c, count);
  };

  private forgetHitsFrom(position: number): void {
    for (const byPosition of this.hits.values()) for (const p of [...byPosition.keys()]) if (p >= position) byPosition.delete(p);
  }

  /** Adds what a worker reports; events and deliveries already recorded are checked, not repeated. */
  absorb(events: readonly TraceEvent[], deliveries: readonly Delivery[]): Absorbed {
    const out: Absorbed = { fresh: [] };
    for (const event of events) {
      const known = this.events[event.seq];
      if (known !== undefined) {
        if (sameEvent(known, event)) continue;
        out.divergedAt ??= event.seq;
        this.events.length = event.seq;
        this.deliveries.length = this.deliveries.filter((d) => d.traceLength <= event.seq).length;
        this.forgetHitsFrom(this.deliveries.length);
      }
      if (event.seq !== this.events.length) continue; // never store out of order
      this.events.push(event);
      out.fresh.push(event);
    }
    for (const d of deliveries) {
      const known = this.deliveries[d.position];
      if (known !== undefined && sameDelivery(known, d)) continue;
      this.deliveries.length = Math.min(this.deliveries.length, d.position);
      if (d.position === this.deliveries.length) this.deliveries.push(d);
    }
    return out;
  }

  /** The last position before `position` where a breakpoint or exception filter matches. */
  previousHit(position: number, bps: BreakpointSpec): { position: number; hit: StopHit } | undefined {
    for (let p = Math.min(position, this.deliveries.length) - 1; p >= 0; p--) {
      const d = this.deliveries[p]!;
      const from = p === 0 ? 0 : this.deliveries[p - 1]!.traceLength;
      const hit = stopAt(p, d, this.events.slice(from, d.traceLength), bps, { breakpoints: true }, this.judge, this.exceptionTest);
      if (hit !== undefined) return { position: p, hit };
    }
    return undefined;
  }

  /** The stop an exception filter (and its condition) makes at a fault the trace does not hold (the worker was stopped). */
  exceptionAt(fault: TraceEvent, bps: BreakpointSpec): StopHit | undefined {
    return exceptionHit([fault], bps, this.exceptionTest);
  }

  /** The first position held after trace event `seq` happened (-1 when the record does not reach it). */
  positionAfterEvent(seq: number): number {
    return this.deliveries.findIndex((d) => d.traceLength > seq);
  }

  /** Protocol state after the first `length` events (the last state event's), if any. */
  stateAfter(length: number): string | undefined {
    for (let i = Math.min(length, this.events.length) - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.kind === "state" && e.state !== undefined) return e.state;
    }
    return undefined;
  }
}

/**
 * The launch configuration's `trace` file: the history's events as JSON lines, appended as they come
 * to a temporary file beside it, which commit() renames into place when the session ends. Until then
 * the file keeps what it held, and a session that breaks off never leaves it emptied or half-written.
 * It may not be one of the driver's sources.
 */
export class TraceFile {
  private written = 0;
  private readonly output: StagedOutput;

  /** Throws when `file` is one of the driver's `sources` or cannot be written. */
  constructor(file: string, sources: readonly string[]) {
    const clash = outputClash([{ path: file, what: "trace file" }], sources);
    if (clash !== undefined) throw new Error(`"trace": ${clash}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const why = unwritableReason(file);
    if (why !== undefined) throw new Error(`"trace": cannot write ${file} (${why})`);
    this.output = new StagedOutput(file);
    fs.writeFileSync(this.output.temporary, "", { flag: "wx" });
  }

  /** Writes the events not yet in the file; `rewrite` starts over (the record changed). */
  write(events: readonly TraceEvent[], rewrite = false): void {
    if (rewrite) {
      fs.writeFileSync(this.output.temporary, "");
      this.written = 0;
    }
    if (this.written >= events.length) return;
    fs.appendFileSync(
      this.output.temporary,
      `${events
        .slice(this.written)
        .map((e) => JSON.stringify(e))
        .join("\n")}\n`,
    );
    this.written = events.length;
  }

  /** Puts the trace in place (the session ended). */
  commit(): void {
    this.output.commit();
  }

  /** Drops the trace; the file keeps what it held before the session. */
  discard(): void {
    this.output.discard();
  }
}
