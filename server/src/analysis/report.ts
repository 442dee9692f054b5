// Building diagnostics: the severity comes from the rule table unless a rule says otherwise.
import type ts from "typescript";
import { ruleInfo } from "./rules";
import type { CallSite } from "./syntax";
import { locationOf, rangeOf, shortText } from "./text";
import type { AnalysisDiagnostic, DiagnosticCode, DiagnosticData, Range, RelatedLocation, Severity } from "./types";

export interface DiagnosticExtras {
  related?: RelatedLocation[];
  data?: DiagnosticData;
  severity?: Severity;
  /** A range other than the node's own. */
  range?: Range;
}

export function diagnostic(code: DiagnosticCode, node: ts.Node, message: string, extras: DiagnosticExtras = {}): AnalysisDiagnostic {
  return {
    code,
    severity: extras.severity ?? ruleInfo(code).severity,
    message,
    range: extras.range ?? rangeOf(node),
    related: extras.related ?? [],
    ...(extras.data ? { data: extras.data } : {}),
  };
}

export function related(node: ts.Node, message: string): RelatedLocation {
  return { ...locationOf(node), message };
}

/**
 * A finding at `node`. In the analysed file it is reported where it is; in another file (a helper
 * imported from there) it is reported at each call in the analysed file that leads to it, with the
 * real place as a related location and without quick-fix data (its positions are in the other file).
 */
export function place(root: ts.SourceFile, node: ts.Node, anchors: Iterable<CallSite>, make: (at: ts.Node) => AnalysisDiagnostic): AnalysisDiagnostic[] {
  if (node.getSourceFile() === root) return [make(node)];
  const out: AnalysisDiagnostic[] = [];
  const sf = node.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const where = `${baseName(sf.fileName)}:${line}`;
  for (const anchor of anchors) {
    const d = make(anchor);
    const { data: _data, ...rest } = d;
    out.push({
      ...rest,
      range: rangeOf(anchor),
      message: `in ${shortText(anchor.expression, 30)}() (${where}): ${d.message}`,
      related: [{ ...locationOf(node), message: "here" }, ...d.related],
    });
  }
  return out;
}

function baseName(fileName: string): string {
  const i = Math.max(fileName.lastIndexOf("/"), fileName.lastIndexOf("\\"));
  return fileName.slice(i + 1);
}
