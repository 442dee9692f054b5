// What a failing run failed of, for schedule files and reports: a kind (the same failure keeps its
// kind while a schedule shrinks), one line, and the trace event where it was detected.
import type { TraceEvent } from "../trace";
import type { ScheduleFailure, ScheduleSize } from "./schedule";

/** The parts of a run summary this reads (the NIC's summary, or the worker's copy of it). */
export interface FailingRun {
  ok: boolean;
  failure?: string;
  failureLoc?: ScheduleFailure["location"];
  violations: readonly { kind: string; detail: string; time: number; loc?: ScheduleFailure["location"] }[];
  problems: readonly string[];
  /** The oracles' findings (problems[i] is findings[i].message): kind, time and driver location. */
  findings?: readonly { kind: string; message: string; timeUs: number; location?: ScheduleFailure["location"] }[];
  virtualTimeUs: number;
  requests: readonly unknown[];
  txTimeouts: number;
  frames: { tx: { offered: number } };
}

/** The failure of a run that is not ok (undefined when it is ok); `trace` finds the event. */
export function failureOf(run: FailingRun, trace: readonly TraceEvent[]): ScheduleFailure | undefined {
  if (run.ok) return undefined;
  const last = trace.length > 0 ? trace[trace.length - 1]! : undefined;
  const at = (fault: string | undefined): TraceEvent | undefined =>
    fault === undefined ? undefined : trace.find((e) => e.kind === "fault" && e.fault === fault);
  if (run.failure !== undefined) {
    const e = at("driver-error");
    return withLocation(
      { kind: "driver-error", message: oneLine(run.failure), timeUs: e?.time ?? run.virtualTimeUs, seq: e?.seq ?? last?.seq ?? 0 },
      run.failureLoc ?? e?.loc,
    );
  }
  const v = run.violations[0];
  if (v !== undefined) {
    const e = trace.find((x) => x.kind === "fault" && x.fault === v.kind && x.time === v.time) ?? at(v.kind);
    const more = run.violations.length > 1 ? ` (and ${run.violations.length - 1} more violations)` : "";
    return withLocation({ kind: v.kind, message: oneLine(`${v.kind}: ${v.detail}${more}`), timeUs: v.time, seq: e?.seq ?? last?.seq ?? 0 }, v.loc);
  }
  const finding = run.findings?.[0];
  if (finding !== undefined) {
    // The event where the oracle points: the last one at or before its time.
    let e: TraceEvent | undefined;
    for (const x of trace) {
      if (x.time > finding.timeUs) break;
      e = x;
    }
    return withLocation({ kind: finding.kind, message: oneLine(finding.message), timeUs: finding.timeUs, seq: e?.seq ?? last?.seq ?? 0 }, finding.location);
  }
  const problem = run.problems[0] ?? "not ok";
  return { kind: problemKind(problem), message: oneLine(problem), timeUs: run.virtualTimeUs, seq: last?.seq ?? 0 };
}

/** Kinds of accounting problems, from the OS's wording. */
function problemKind(problem: string): string {
  if (/never answered/.test(problem)) return "unanswered";
  if (/never reached the wire|never reported|dropped \(/.test(problem)) return "lost-frames";
  if (/different bytes/.test(problem)) return "corrupted-frames";
  if (/arrived twice/.test(problem)) return "duplicate-frames";
  if (/nobody sent/.test(problem)) return "bogus-frames";
  return "accounting";
}

function withLocation(f: ScheduleFailure, loc: ScheduleFailure["location"] | undefined): ScheduleFailure {
  return loc !== undefined ? { ...f, location: { file: loc.file, line: loc.line, column: loc.column } } : f;
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}

/** Sizes of a schedule and of the run it drove (for shrinking reports). */
export function scheduleSize(choices: readonly number[], run: FailingRun, trace: readonly TraceEvent[]): ScheduleSize {
  let requests = 0;
  for (const e of trace) if (e.kind === "send" && e.from === "os" && e.mailbox !== "xmit") requests++;
  return { choices: choices.length, nonDefault: choices.filter((c) => c !== 0).length, requests, frames: run.frames.tx.offered };
}
