// Shared by the analysis tests: the `//~ AD001` marker convention, a file-system host, paths.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { analyzeFile, type AnalysisDiagnostic, type AnalysisHost, type AnalysisResult } from "../../server/src/analysis";

export const repoRoot = path.resolve(__dirname, "..", "..");
export { conformanceDir } from "../conformanceDir";
export const casesDir = path.join(__dirname, "cases");
export const brokenDir = path.join(repoRoot, "samples", "broken");
export const baselinesDir = path.join(__dirname, "baselines");

export const fsHost: AnalysisHost = {
  readFile(p) {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return undefined;
    }
  },
};

/** `*.ts` files directly in a folder, sorted. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** `*.ts` files in a folder and its subfolders, sorted. */
export function tsFilesDeep(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFilesDeep(p));
    else if (entry.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

/** Expected diagnostics from `//~ AD001 AD004` markers: "line:code" (1-based line), sorted. */
export function expectedMarkers(text: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /\/\/~\s*((?:AD\d{3}\s*)+)$/.exec(line);
    if (m) for (const code of m[1]!.trim().split(/\s+/)) out.push(`${i + 1}:${code}`);
  });
  return out.sort();
}

export function actualMarkers(diagnostics: readonly AnalysisDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
}

export function analyzePath(file: string): { text: string; result: AnalysisResult } {
  const text = readFileSync(file, "utf8");
  return { text, result: analyzeFile(file, text, fsHost) };
}

/** One line per diagnostic, for assertion messages. */
export function describe(result: AnalysisResult): string {
  const lines = result.diagnostics.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  return [...lines, ...result.internalErrors.map((e) => `  internal error: ${e}`)].join("\n") || "  (none)";
}
