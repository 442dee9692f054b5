// AD090: input the analysis does not analyse, said on the file instead of being silently skipped:
// an import of a file that is not a regular file or is over the size limit (see sourceReader.ts),
// and a file nested too deeply for the analysis's recursive walks.
import * as path from "node:path";
import ts from "typescript";
import type { Modules } from "../modules";
import { MAX_NESTING } from "../nesting";
import { diagnostic } from "../report";
import { spanRange } from "../text";
import type { AnalysisDiagnostic, RuleInfo } from "../types";

/** The finding for a file too deeply nested to analyse, at `node` (or the file's start). */
export function nestingDiagnostic(sf: ts.SourceFile | undefined, node?: ts.Node): AnalysisDiagnostic {
  const start = sf === undefined || node === undefined ? 0 : node.getStart(sf);
  const range =
    sf === undefined ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : spanRange(sf, start, Math.min(sf.text.length, start + 1));
  return {
    code: "AD090",
    severity: "error",
    message: `this file is too deeply nested to analyse (more than ${MAX_NESTING} levels of syntax): it is not analysed, so it has no other findings`,
    range,
    related: [],
    data: { kind: "analysisLimit", limit: "nesting" },
  };
}

/** The import declaration of `root` with this specifier (static imports and re-exports). */
function importOf(root: ts.SourceFile, specifier: string): ts.Node | undefined {
  for (const s of root.statements) {
    if (
      (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
      s.moduleSpecifier &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === specifier
    )
      return s.moduleSpecifier;
  }
  return undefined;
}

/** One finding per import the analysis did not follow, on the analysed file's import that leads to it. */
export function unreadImportDiagnostics(root: ts.SourceFile, modules: Modules): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  for (const [file, unread] of modules.unread) {
    const chain = modules.importChain(root, unread.from);
    if (chain === undefined) continue;
    const first = chain[0]?.specifier ?? unread.specifier;
    const at = importOf(root, first);
    const what = `(the file ${unread.error.reason}): what it defines is not followed`;
    const message =
      chain.length === 0
        ? `'${first}' is not analysed ${what}`
        : `'${first}' imports '${unread.specifier}' (in ${path.basename(unread.from.fileName)}), which is not analysed ${what}`;
    const range = at !== undefined ? spanRange(root, at.getStart(root), at.getEnd()) : spanRange(root, 0, 0);
    out.push(diagnostic(rule, root, message, { range, data: { kind: "analysisLimit", limit: "import", file } }));
  }
  return out;
}

export const rule: RuleInfo = {
  code: "AD090",
  severity: "warning",
  name: "AnalysisLimit",
  title: "Part of the input is over a limit of the analysis: findings that depend on it are missing.",
  help: "The analysis reads only regular files of at most 4 MB (an import of a FIFO, a device or a larger file is not followed: a warning on the import) and takes on at most 500 levels of syntax nesting (a deeper file is not analysed: an error on the file, and `check` exits with status 2). Import a regular source file; split deeply nested code into functions.",
};
