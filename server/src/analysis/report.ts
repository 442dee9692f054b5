// Building diagnostics: the severity comes from the rule unless a finding says otherwise; findings in
// helpers in other files are placed there, with the calls that reach them.
import type ts from "typescript";
import type { CallSite } from "./syntax";
import type { Anchors } from "./sites";
import { locationOf, rangeOf, shortText, statesText } from "./text";
import type { AnalysisDiagnostic, DiagnosticData, HelperDiagnostic, Range, RelatedLocation, RuleInfo, Severity } from "./types";

export interface DiagnosticExtras {
  related?: RelatedLocation[];
  data?: DiagnosticData;
  severity?: Severity;
  /** A range other than the node's own. */
  range?: Range;
}

/** A finding of `rule` at `node` (severity from the rule unless `extras` says otherwise). */
export function diagnostic(rule: RuleInfo, node: ts.Node, message: string, extras: DiagnosticExtras = {}): AnalysisDiagnostic {
  return {
    code: rule.code,
    severity: extras.severity ?? rule.severity,
    message,
    range: extras.range ?? rangeOf(node),
    related: extras.related ?? [],
    ...(extras.data ? { data: extras.data } : {}),
  };
}

export function related(node: ts.Node, message: string): RelatedLocation {
  return { ...locationOf(node), message };
}

/** How the related information of a helper's finding names a call that reaches it. */
const REACHED_FROM = "reached from ";

/**
 * A finding at `node`. In the analysed file it is reported where it is. In another file (a helper
 * imported from there) it is reported there too, at the helper's own line, as a HelperDiagnostic:
 * its related information starts with the calls in the analysed file that lead to it (with the
 * protocol states on those paths, when known), one finding however many callers reach it.
 */
export function place(
  root: ts.SourceFile,
  node: ts.Node,
  anchors: Iterable<CallSite> | Anchors,
  make: (at: ts.Node) => AnalysisDiagnostic,
): AnalysisDiagnostic[] {
  if (node.getSourceFile() === root) return [make(node)];
  const calls: RelatedLocation[] = [];
  const entries: Iterable<[CallSite, Set<string> | undefined]> =
    anchors instanceof Map ? anchors : [...anchors].map((a): [CallSite, undefined] => [a, undefined]);
  const sorted = [...entries].sort(([a], [b]) => a.getStart() - b.getStart());
  for (const [anchor, states] of sorted) {
    const via = `${REACHED_FROM}${shortText(anchor.expression, 30)}()`;
    calls.push(related(anchor, states !== undefined && states.size > 0 ? `${via} in ${statesText([...states])}` : via));
  }
  // Reached from no call in the analysed file (a thread whose function lives elsewhere): silent, as before.
  if (calls.length === 0) return [];
  const d = make(node);
  const helper: HelperDiagnostic = { ...d, file: node.getSourceFile().fileName, related: [...calls, ...d.related] };
  return [helper];
}

/** A finding located in another file than the analysed one (see `place`). */
export function isHelperDiagnostic(d: AnalysisDiagnostic): d is HelperDiagnostic {
  return (d as Partial<HelperDiagnostic>).file !== undefined;
}

/** True for the related information `place` gives a helper's finding for a call that reaches it. */
export function isReachingCall(rel: RelatedLocation): boolean {
  return rel.message.startsWith(REACHED_FROM);
}
