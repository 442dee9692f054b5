// Coverage of an exploration: which (protocol state, message) pairs were delivered or sent in that
// state, which the protocol enables and no run reached, which wait sites received which messages,
// and which faults landed in which state. One run's coverage comes from its trace; reports merge
// (runs of one exploration, shards of a CI matrix).
import type { TraceEvent } from "../trace";
import type { AnyProtocol } from "../types";

export interface TransitionCount {
  state: string;
  message: string;
  count: number;
}

export interface WaitSiteCount {
  file: string;
  line: number;
  column: number;
  /** Messages delivered there, by mailbox name. */
  messages: Record<string, number>;
}

export interface FaultCount {
  kind: string;
  /** The protocol state when it landed. */
  state: string;
  count: number;
}

export interface CoverageReport {
  transitions: TransitionCount[];
  unreached: { state: string; message: string }[];
  waitSites: WaitSiteCount[];
  faults: FaultCount[];
}

/** Kinds of fault events that are injected faults (not violations or driver errors). */
const INJECTED = new Set(["tx-lockup", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug"]);

const key = (a: string, b: string): string => `${a}\u0000${b}`;

/** The coverage of one run, from its trace. */
export function coverageOfRun(protocol: AnyProtocol, trace: readonly TraceEvent[]): CoverageReport {
  const messages = new Set(Object.keys(protocol.messages));
  const rows = protocol.states as Record<string, Record<string, string> | undefined>;
  const transitions = new Map<string, TransitionCount>();
  const sites = new Map<string, WaitSiteCount>();
  const faults = new Map<string, FaultCount>();
  let state = String(protocol.initial);
  for (const e of trace) {
    switch (e.kind) {
      case "send": {
        // The monitor moves after the send event: `state` is the one the message occurred in. A
        // message the state does not enable is a violation (reported as such), not coverage.
        const m = e.mailbox;
        if (m === undefined || !messages.has(m) || rows[state]?.[m] === undefined) break;
        const k = key(state, m);
        const t = transitions.get(k);
        if (t === undefined) transitions.set(k, { state, message: m, count: 1 });
        else t.count++;
        break;
      }
      case "state":
        if (e.state !== undefined) state = e.state;
        break;
      case "deliver": {
        const loc = e.loc;
        if (loc === undefined || e.mailbox === undefined) break;
        const k = `${loc.file}:${loc.line}:${loc.column}`;
        let site = sites.get(k);
        if (site === undefined) sites.set(k, (site = { file: loc.file, line: loc.line, column: loc.column, messages: {} }));
        site.messages[e.mailbox] = (site.messages[e.mailbox] ?? 0) + 1;
        break;
      }
      case "fault": {
        if (e.fault === undefined || !INJECTED.has(e.fault)) break;
        const k = key(e.fault, state);
        const f = faults.get(k);
        if (f === undefined) faults.set(k, { kind: e.fault, state, count: 1 });
        else f.count++;
        break;
      }
    }
  }
  const unreached: { state: string; message: string }[] = [];
  for (const [s, row] of Object.entries(rows)) {
    for (const m of Object.keys(row ?? {})) if (!transitions.has(key(s, m))) unreached.push({ state: s, message: m });
  }
  return sorted({ transitions: [...transitions.values()], unreached, waitSites: [...sites.values()], faults: [...faults.values()] });
}

/** Joins coverage reports: counts add up; a pair stays unreached only if no report reached it. */
export function mergeCoverage(reports: readonly CoverageReport[]): CoverageReport {
  const transitions = new Map<string, TransitionCount>();
  const sites = new Map<string, WaitSiteCount>();
  const faults = new Map<string, FaultCount>();
  const unreached = new Map<string, { state: string; message: string }>();
  for (const r of reports) {
    for (const t of r.transitions) {
      const k = key(t.state, t.message);
      const have = transitions.get(k);
      if (have === undefined) transitions.set(k, { ...t });
      else have.count += t.count;
    }
    for (const s of r.waitSites) {
      const k = `${s.file}:${s.line}:${s.column}`;
      let have = sites.get(k);
      if (have === undefined) sites.set(k, (have = { file: s.file, line: s.line, column: s.column, messages: {} }));
      for (const [m, n] of Object.entries(s.messages)) have.messages[m] = (have.messages[m] ?? 0) + n;
    }
    for (const f of r.faults) {
      const k = key(f.kind, f.state);
      const have = faults.get(k);
      if (have === undefined) faults.set(k, { ...f });
      else have.count += f.count;
    }
    for (const u of r.unreached) unreached.set(key(u.state, u.message), u);
  }
  for (const k of transitions.keys()) unreached.delete(k);
  return sorted({ transitions: [...transitions.values()], unreached: [...unreached.values()], waitSites: [...sites.values()], faults: [...faults.values()] });
}

/** Stable order: a report is the same bytes whatever order its runs finished in. */
function sorted(r: CoverageReport): CoverageReport {
  const by = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  r.transitions.sort((a, b) => by(a.state, b.state) || by(a.message, b.message));
  r.unreached.sort((a, b) => by(a.state, b.state) || by(a.message, b.message));
  r.waitSites.sort((a, b) => by(a.file, b.file) || a.line - b.line || a.column - b.column);
  for (const s of r.waitSites) s.messages = Object.fromEntries(Object.entries(s.messages).sort(([a], [b]) => by(a, b)));
  r.faults.sort((a, b) => by(a.kind, b.kind) || by(a.state, b.state));
  return r;
}

/** A few lines for a terminal: pairs covered x/y, the unreached ones, faults by state. */
export function formatCoverage(r: CoverageReport): string {
  const total = r.transitions.length + r.unreached.length;
  const lines = [
    `coverage   ${r.transitions.length}/${total} (state, message) pairs the protocol enables were reached; ${r.waitSites.length} wait sites received messages`,
  ];
  if (r.unreached.length > 0) lines.push(`unreached  ${r.unreached.map((u) => `${u.message} in ${u.state}`).join(", ")}`);
  if (r.faults.length > 0) lines.push(`faults     ${r.faults.map((f) => `${f.kind} in ${f.state} x${f.count}`).join(", ")}`);
  return lines.join("\n");
}
