// Findings that the analyses of open drivers locate in other files (helpers they call): what each
// helper file shows while a driver that calls it is open. One finding reached from several open
// drivers is shown once, with every call that reaches it as related information.
import type { AnalysisDiagnostic, HelperDiagnostic } from "../analysis/types";

export interface HelperAnalysis {
  uri: string;
  resultId: string;
  helperDiagnostics: readonly HelperDiagnostic[];
}

export interface HelperFindingsOfFile {
  diagnostics: AnalysisDiagnostic[];
  /** Changes whenever the findings may differ: the contributing analyses and their result ids. */
  key: string;
}

function keyOf(file: string, d: AnalysisDiagnostic): string {
  const r = d.range;
  return `${file}|${d.code}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.message}`;
}

/** The findings `analyses` locate in `fileName`, merged across analyses (see the file's comment). */
export function helperFindingsOf(fileName: string, analyses: Iterable<HelperAnalysis>): HelperFindingsOfFile {
  const merged = new Map<string, AnalysisDiagnostic>();
  const contributors: string[] = [];
  for (const analysis of analyses) {
    let contributed = false;
    for (const { file, ...d } of analysis.helperDiagnostics) {
      if (file !== fileName) continue;
      contributed = true;
      const key = keyOf(file, d);
      const same = merged.get(key);
      if (same === undefined) {
        merged.set(key, { ...d, related: [...d.related] });
        continue;
      }
      for (const rel of d.related) {
        const known = same.related.some(
          (x) =>
            x.file === rel.file &&
            x.message === rel.message &&
            x.range.start.line === rel.range.start.line &&
            x.range.start.character === rel.range.start.character,
        );
        if (!known) same.related.push(rel);
      }
    }
    if (contributed) contributors.push(`${analysis.uri}@${analysis.resultId}`);
  }
  const diagnostics = [...merged.values()].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
  );
  return { diagnostics, key: contributors.sort().join(",") };
}

/** The helper files an analysis's findings are in. */
export function helperFilesOf(helperDiagnostics: readonly HelperDiagnostic[] | undefined): Set<string> {
  return new Set((helperDiagnostics ?? []).map((d) => d.file));
}
