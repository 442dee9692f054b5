// The custom messages' payloads: the status a document's analysis gives the status bar, and the
// protocol graph(s) the state-machine view draws.
import type { AnalysisResult, ProtocolModel } from "../analysis/types";
import type { AnalysisStatusParams, ProtocolGraph } from "../lsp/protocol";
import { toRange, type FeatureInput } from "./context";
import { stateCoverage, waitCoverage } from "./coverage";

function fileKind(result: AnalysisResult): AnalysisStatusParams["kind"] {
  const driver = result.drivers[0];
  if (driver !== undefined) return driver.kind;
  return result.protocols.length > 0 ? "protocol" : "none";
}

export function analysisStatus(input: FeatureInput, durationMs: number): AnalysisStatusParams {
  const { result, document } = input;
  const count = (severity: string): number => result.diagnostics.filter((d) => d.severity === severity).length;
  const states = { total: 0, waited: 0, covered: 0, uncovered: [] as string[] };
  const waits = { protocol: 0, covered: 0 };
  for (const driver of result.drivers) {
    if (driver.kind !== "active") continue;
    const coverage = stateCoverage(result, driver);
    states.total += coverage.total;
    for (const [state, missing] of coverage.byState) {
      states.waited++;
      if (missing.length === 0) states.covered++;
      else states.uncovered.push(state);
    }
    for (const site of waitCoverage(result, driver)) {
      waits.protocol++;
      if (site.missing.length === 0) waits.covered++;
    }
  }
  return {
    uri: document.uri,
    version: document.version,
    kind: fileKind(result),
    errors: count("error"),
    warnings: count("warning"),
    infos: count("information"),
    codes: [...new Set(result.diagnostics.map((d) => d.code))].sort(),
    states,
    waits,
    incomplete: result.incomplete,
    durationMs: Math.round(durationMs * 10) / 10,
  };
}

function graph(input: FeatureInput, protocol: ProtocolModel): ProtocolGraph {
  const states: Record<string, Record<string, string>> = {};
  const stateRanges: NonNullable<ProtocolGraph["stateRanges"]> = {};
  for (const s of protocol.states) {
    states[s.name] = Object.fromEntries(s.transitions.map((t) => [t.message, t.target]));
    stateRanges[s.name] = toRange(s.range);
  }
  const directions: Record<string, "in" | "out"> = {};
  const replies: Record<string, string> = {};
  for (const m of protocol.messages) {
    if (m.direction !== "unknown") directions[m.name] = m.direction;
    if (m.reply !== undefined) replies[m.name] = m.reply;
  }
  const g: ProtocolGraph = {
    file: protocol.file,
    uri: input.uriOf(protocol.file),
    states,
    initial: protocol.initial ?? protocol.states[0]?.name ?? "",
    directions,
    replies,
    unreachable: protocol.states.filter((s) => !s.reachable).map((s) => s.name),
    stateRanges,
  };
  if (protocol.name !== undefined) g.name = protocol.name;
  return g;
}

/** The driver's protocol first (with per-state coverage), then the protocols the file defines. */
export function protocolGraphs(input: FeatureInput): ProtocolGraph[] {
  const out: ProtocolGraph[] = [];
  const key = (p: ProtocolModel): string => `${p.file}:${p.range.start.line}:${p.range.start.character}`;
  const keys = new Set<string>();
  for (const driver of input.result.drivers) {
    const protocol = driver.protocol;
    if (protocol === undefined || keys.has(key(protocol))) continue;
    keys.add(key(protocol));
    const g = graph(input, protocol);
    if (driver.kind === "active") {
      g.coverage = {};
      for (const [state, missing] of stateCoverage(input.result, driver).byState) g.coverage[state] = { missing };
    }
    out.push(g);
  }
  for (const protocol of input.result.protocols) {
    if (keys.has(key(protocol))) continue;
    keys.add(key(protocol));
    out.push(graph(input, protocol));
  }
  return out;
}
