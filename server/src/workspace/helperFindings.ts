// Findings that the analyses of open drivers locate in other files (helpers they call): what each
// helper file shows while a driver that calls it is open. One finding reached from several open
// drivers is shown once, naming the states of each, with every call that reaches it as related
// information (see analysis/merge.ts).
import { mergeFindings } from "../analysis/merge";
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

/** The findings `analyses` locate in `fileName`, merged across analyses (see the file's comment). */
export function helperFindingsOf(fileName: string, analyses: Iterable<HelperAnalysis>): HelperFindingsOfFile {
  const found: HelperDiagnostic[] = [];
  const contributors: string[] = [];
  for (const analysis of analyses) {
    const here = analysis.helperDiagnostics.filter((d) => d.file === fileName);
    if (here.length === 0) continue;
    found.push(...here);
    contributors.push(`${analysis.uri}@${analysis.resultId}`);
  }
  const diagnostics = mergeFindings(found).map(({ file: _file, ...d }): AnalysisDiagnostic => d);
  return { diagnostics, key: contributors.sort().join(",") };
}

/** The helper files an analysis's findings are in. */
export function helperFilesOf(helperDiagnostics: readonly HelperDiagnostic[] | undefined): Set<string> {
  return new Set((helperDiagnostics ?? []).map((d) => d.file));
}
