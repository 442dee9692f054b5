// Per-wait protocol coverage: which incoming messages each protocol wait's states enable, which it
// accepts, which another thread covers, and which it misses. Code lens, hover, the status
// notification and the state-machine view all read it from here.
import type { AnalysisResult, DriverModel, MissingMessagesData, ProtocolModel, WaitSiteModel } from "../analysis/types";
import { sameRange } from "./context";

export interface WaitCoverage {
  /** The first model of this call site (a helper called twice has one site per call context). */
  wait: WaitSiteModel;
  states: string[];
  stateUnknown: boolean;
  /** Incoming protocol messages enabled in those states, in protocol order. */
  enabled: string[];
  /** Enabled messages this wait lists. */
  accepted: string[];
  /** Enabled messages another thread of the domain waits on: message -> thread. */
  elsewhere: Record<string, string>;
  /** Enabled messages nobody accepts here (AD001's finding when the analysis made one). */
  missing: string[];
  /** state -> messages missing in it. */
  missingByState: Record<string, string[]>;
  /** Replies owed on some path reaching the wait. */
  owed: string[];
  threads: string[];
}

/** Incoming messages whose row in `state` names them, in protocol order. */
export function enabledIn(protocol: ProtocolModel | undefined, state: string): string[] {
  if (protocol === undefined) return [];
  const row = protocol.states.find((s) => s.name === state);
  if (row === undefined) return [];
  const named = new Set(row.transitions.map((t) => t.message));
  return protocol.messages.filter((m) => m.direction === "in" && named.has(m.name)).map((m) => m.name);
}

/** States whose row names `message` (for an out message: where the driver may send it). */
export function statesNaming(protocol: ProtocolModel | undefined, message: string): string[] {
  if (protocol === undefined) return [];
  return protocol.states.filter((s) => s.transitions.some((t) => t.message === message)).map((s) => s.name);
}

function union(into: string[], items: readonly string[]): void {
  for (const item of items) if (!into.includes(item)) into.push(item);
}

function protocolOrder(protocol: ProtocolModel | undefined, names: string[]): string[] {
  if (protocol === undefined) return names;
  const order = new Map(protocol.messages.map((m, i) => [m.name, i]));
  return [...names].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
}

/** The protocol waits of `driver` located in `fileName`, one per call site, in source order. */
export function waitCoverage(result: AnalysisResult, driver: DriverModel, fileName: string = result.fileName): WaitCoverage[] {
  const sites: WaitCoverage[] = [];
  for (const wait of driver.waits) {
    if (wait.kind !== "protocol" || wait.file !== fileName) continue;
    let site = sites.find((s) => sameRange(s.wait.range, wait.range));
    if (site === undefined) {
      site = { wait, states: [], stateUnknown: false, enabled: [], accepted: [], elsewhere: {}, missing: [], missingByState: {}, owed: [], threads: [] };
      sites.push(site);
    }
    union(site.states, wait.states);
    site.stateUnknown ||= wait.stateUnknown;
    union(site.enabled, wait.enabled);
    union(site.owed, wait.owed);
    union(site.threads, [wait.thread]);
  }
  for (const site of sites) {
    site.enabled = protocolOrder(driver.protocol, site.enabled);
    const listed = new Set(site.wait.mailboxes.filter((m) => m.kind === "in").map((m) => m.name));
    for (const other of sites) if (sameRange(other.wait.range, site.wait.range)) for (const m of other.wait.mailboxes) listed.add(m.name);
    site.accepted = site.enabled.filter((m) => listed.has(m));
    for (const m of site.enabled) {
      if (listed.has(m)) continue;
      const owner = driver.threads.find((t) => !site.threads.includes(t.name) && t.owns.includes(m));
      if (owner !== undefined) site.elsewhere[m] = owner.name;
    }
    const finding = result.diagnostics.find((d) => d.code === "AD001" && d.data?.kind === "missingMessages" && sameRange(d.range, site.wait.range));
    if (finding !== undefined && fileName === result.fileName) {
      const data = finding.data as MissingMessagesData;
      site.missing = protocolOrder(driver.protocol, [...data.messages]);
      site.missingByState = data.byState;
    } else if (result.incomplete) {
      // The control-flow rules did not run: say what the model shows rather than "all accepted".
      site.missing = site.enabled.filter((m) => !listed.has(m) && site.elsewhere[m] === undefined);
      for (const state of site.states) {
        const missing = enabledIn(driver.protocol, state).filter((m) => site.missing.includes(m));
        if (missing.length > 0) site.missingByState[state] = missing;
      }
    }
  }
  return sites.sort((a, b) => a.wait.range.start.line - b.wait.range.start.line || a.wait.range.start.character - b.wait.range.start.character);
}

export interface StateCoverage {
  /** Reachable states of the protocol. */
  total: number;
  /** state -> messages missing at some wait in it; a state holding at no protocol wait is absent. */
  byState: Map<string, string[]>;
}

/** Coverage per protocol state over all protocol waits of `driver` (any file the analysis followed). */
export function stateCoverage(result: AnalysisResult, driver: DriverModel): StateCoverage {
  const byState = new Map<string, string[]>();
  const files = [...new Set(driver.waits.map((w) => w.file))];
  for (const file of files) {
    for (const site of waitCoverage(result, driver, file)) {
      for (const state of site.states) {
        const missing = byState.get(state) ?? [];
        union(missing, site.missingByState[state] ?? []);
        byState.set(state, missing);
      }
    }
  }
  const total = driver.protocol?.states.filter((s) => s.reachable).length ?? 0;
  return { total, byState };
}
