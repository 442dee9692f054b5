// Findings in a helper that several drivers reach: each driver's analysis gives its own finding at
// the helper's line, naming the states that hold there on its paths. They are one finding: the rule
// that owns the code merges their messages and data (RuleInfo.merge), and the related information
// lists every call that reaches the helper, from every driver, once. The CLI (`check`), the
// language server (helper files' diagnostics) and the analysis of one file holding several drivers
// all merge here.
import { isReachingCall } from "./report";
import { ruleInfo } from "./rules";
import type { HelperDiagnostic, Location, Range, RelatedLocation } from "./types";

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function compareLocations(a: Location, b: Location): number {
  return (
    a.file.localeCompare(b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character
  );
}

function compareFindings(a: HelperDiagnostic, b: HelperDiagnostic): number {
  return (
    a.file.localeCompare(b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/** The first call that reaches a finding: orders the findings of one place whatever order the analyses came in. */
function compareByCalls(a: HelperDiagnostic, b: HelperDiagnostic): number {
  const x = a.related.find(isReachingCall);
  const y = b.related.find(isReachingCall);
  if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0) || a.message.localeCompare(b.message);
  return compareLocations(x, y) || x.message.localeCompare(y.message) || a.message.localeCompare(b.message);
}

/**
 * Related information of findings merged into one: the calls that reach it sorted by file and
 * position, then the rule's own entries in the order they first came; each once.
 */
export function mergeRelated(lists: Iterable<readonly RelatedLocation[]>): RelatedLocation[] {
  const calls = new Map<string, RelatedLocation>();
  const others = new Map<string, RelatedLocation>();
  for (const list of lists) {
    for (const rel of list) {
      const key = `${rel.file}|${rangeKey(rel.range)}|${rel.message}`;
      const into = isReachingCall(rel) ? calls : others;
      if (!into.has(key)) into.set(key, rel);
    }
  }
  const sortedCalls = [...calls.values()].sort((a, b) => compareLocations(a, b) || a.message.localeCompare(b.message));
  return [...sortedCalls, ...others.values()];
}

/**
 * Findings at the same file, code and range as one finding each: equal messages are one message;
 * different ones are merged by the rule that owns the code, and stay apart when it has no merge or
 * declines. Sorted by file, position, code and message; the result does not depend on the order of
 * `findings`.
 */
export function mergeFindings(findings: Iterable<HelperDiagnostic>): HelperDiagnostic[] {
  const byPlace = new Map<string, HelperDiagnostic[]>();
  for (const d of findings) {
    const key = `${d.file}|${d.code}|${rangeKey(d.range)}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), d]);
  }
  const out: HelperDiagnostic[] = [];
  for (const group of byPlace.values()) {
    const merged: { finding: HelperDiagnostic; related: RelatedLocation[][] }[] = [];
    for (const d of [...group].sort(compareByCalls)) {
      const into = merged.find((entry) => {
        const combined = entry.finding.message === d.message ? entry.finding : ruleInfo(d.code).merge?.(entry.finding, d);
        if (combined !== undefined) entry.finding = { ...combined, file: d.file };
        return combined !== undefined;
      });
      if (into === undefined) merged.push({ finding: d, related: [d.related] });
      else into.related.push(d.related);
    }
    for (const { finding, related } of merged) out.push({ ...finding, related: mergeRelated(related) });
  }
  return out.sort(compareFindings);
}
