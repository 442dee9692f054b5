// The worker's side of conditions, hit counts and logpoints. Every candidate (a breakpoint whose
// place matches a send or a delivery) is evaluated as it happens, in every run, replays included,
// whether or not the run may stop there: so a count says how often a breakpoint was reached since
// the run began, and a replay counts exactly as the first run did (never twice). The stop rule then
// asks `judge` what was decided.
import { isCounted, parseHitCondition, specKeys } from "../breakpointOptions";
import { exceptionTest } from "../exceptionConditions";
import { decorate, noBreakpoints, type Candidate, type ExceptionTest, type Judge } from "../stops";
import type { BreakpointSpec, HitRecord, LogRecord, StopHit } from "./messages";
import { Sandbox, type MessageFacts } from "./sandbox";

export interface EvaluatorEvents {
  /** A condition failed (once per breakpoint id): `text` says which part, how, and on which message; `disable`: it ran out of time. */
  problem(id: number, text: string, disable: boolean): void;
}

export class BreakpointEvaluator {
  private spec: BreakpointSpec = noBreakpoints;
  /** Made at the first condition or logpoint: a run without them needs no second V8 context. */
  private sandboxMade: Sandbox | undefined;
  private readonly counts = new Map<string, number>();
  /** Keys this worker has had since position 0 (undefined until the first spec): their counts are from the start. */
  private fromStart: Set<string> | undefined;
  /** Breakpoints whose problem was reported; conditions that ran out of time are not evaluated again. */
  private readonly reported = new Set<number>();
  private readonly timedOut = new Set<string>();
  /** Stops decided for the candidates since the last delivery (by candidate id). */
  private verdicts = new Map<string, StopHit>();
  hits: HitRecord[] = [];
  logs: LogRecord[] = [];

  constructor(private readonly events: EvaluatorEvents) {}

  setSpec(spec: BreakpointSpec): void {
    const keys = new Set(specKeys(spec).map((k) => k.key));
    this.fromStart = this.fromStart === undefined ? keys : new Set([...this.fromStart].filter((k) => keys.has(k)));
    // A breakpoint removed loses its count: added again, it is not counted from the start.
    for (const key of [...this.counts.keys()]) if (!keys.has(key)) this.counts.delete(key);
    this.spec = spec;
  }

  get breakpoints(): BreakpointSpec {
    return this.spec;
  }

  /**
   * Evaluates one candidate at `position`. `log`: print logpoints (forward runs only). `at`: the
   * send's trace seq, -1 for the delivery. `traceLength`: events recorded so far.
   */
  evaluate(c: Candidate, position: number, facts: () => MessageFacts, log: boolean, at: number, traceLength: number): void {
    const bp = c.bp;
    if (bp.condition !== undefined) {
      if (this.timedOut.has(c.key)) return;
      const outcome = this.sandbox.condition(bp.condition, facts);
      if (!outcome.ok) {
        if (outcome.timedOut) this.timedOut.add(c.key);
        this.report(
          bp.id,
          `condition "${bp.condition}" ${outcome.error} on ${onWhat(facts)}; ${outcome.timedOut ? "it is no longer evaluated" : "taken as false"}`,
          outcome.timedOut,
        );
        return;
      }
      if (outcome.value !== true) return;
    }
    const count = (this.counts.get(c.key) ?? 0) + 1;
    this.counts.set(c.key, count);
    const counted = this.fromStart?.has(c.key) === true;
    if (isCounted(bp) && counted) this.hits.push({ position, key: c.key, count });
    if (bp.hitCondition !== undefined) {
      // A count that does not start at the run's start would fire at the wrong hit: wait for the recount (runtime.ts).
      const parsed = parseHitCondition(bp.hitCondition);
      if (!counted || "error" in parsed || !parsed.test(count)) return;
    }
    if (bp.logMessage !== undefined) {
      if (!log || this.timedOut.has(c.key)) return;
      const outcome = this.sandbox.logMessage(bp.logMessage, facts);
      if (!outcome.ok && outcome.timedOut) {
        // A part that loops would cost its budget at every hit: the logpoint is disabled, as such a condition is.
        this.timedOut.add(c.key);
        this.report(bp.id, `log message "${bp.logMessage}" ${outcome.error} on ${onWhat(facts)}; it is no longer evaluated`, true);
        return;
      }
      this.logs.push({
        id: bp.id,
        key: `${c.key}${bp.logMessage}`,
        position,
        at,
        traceLength,
        text: outcome.ok ? String(outcome.value) : `<log message ${outcome.error}>`,
      });
      return;
    }
    this.verdicts.set(candidateId(c), decorate(c, count));
  }

  private get sandbox(): Sandbox {
    return (this.sandboxMade ??= new Sandbox());
  }

  /** The stop rule's judge: what `evaluate` decided for this candidate. */
  readonly judge: Judge = (c) => this.verdicts.get(candidateId(c));

  /** Conditions of exception filters, in the same sandbox. */
  readonly exceptionTest: ExceptionTest = exceptionTest(() => this.sandbox);

  /** The delivery is decided: the next position starts with no verdicts. */
  nextPosition(): void {
    if (this.verdicts.size > 0) this.verdicts = new Map();
  }

  private report(id: number, text: string, disable: boolean): void {
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.events.problem(id, text, disable);
  }
}

/** A candidate by its place: the send's event (or the delivery) and the breakpoint. */
function candidateId(c: Candidate): string {
  return `${c.hit.event?.seq ?? "delivery"}:${c.bp.id}`;
}

function onWhat(facts: () => MessageFacts): string {
  const f = facts();
  const missing = f.payloadMissing === true ? " (whose payload the runtime did not hand over: msg is undefined)" : "";
  return `${f.kind === "send" ? `${f.thread}'s send of ${f.name}` : `${f.name} #${f.seq} -> ${f.thread}`}${missing}`;
}
