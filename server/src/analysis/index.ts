// The driver analysis: diagnostics AD001..AD030 and a model of each file, from the file's text
// alone (relative imports are read through the host). Pure TypeScript compiler API: no VS Code,
// no tsconfig, no installed `active-driver` needed. See docs/contracts.md, "Diagnostic codes".
import type ts from "typescript";
import { analyzeActive, baseModel, driverProtocol, type DriverEnvironment } from "./active";
import { Denotations } from "./denotation";
import { driverFunction, findDrivers, findProtocolCalls } from "./discovery";
import { Aborted } from "./machine";
import { mergeFindings } from "./merge";
import { Modules, SourceFileCache } from "./modules";
import { isHelperDiagnostic } from "./report";
import { readProtocol } from "./protocol";
import { isStackOverflow, tooDeep } from "./nesting";
import { nestingDiagnostic, unreadImportDiagnostics } from "./rules/ad090-analysis-limit";
import { checkProtocolSpec } from "./rules/ad020-protocol-spec";
import { analyzePassive } from "./passive/walker";
import { rules } from "./rules";
import { StaticValues } from "./values";
import type { AnalysisCache, AnalysisDiagnostic, AnalysisHost, AnalysisOptions, AnalysisResult } from "./types";

export type * from "./types";
export { rules, ruleInfo, type RuleInfo } from "./rules";
export { mergeFindings } from "./merge";
export { MAX_SOURCE_BYTES, readSourceFile, SourceLimitError } from "./sourceReader";

/** A cache of parsed files to share across analyses (a workspace, a CLI run). */
export function createAnalysisCache(): AnalysisCache {
  return new SourceFileCache();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function compare(a: AnalysisDiagnostic, b: AnalysisDiagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/**
 * Analyses one file: every protocol it defines (AD020) and every driver it defines (active:
 * AD001-AD004, AD012, AD013, AD030; passive: AD010, AD011, AD030).
 *
 * @param fileName absolute path (relative imports resolve against it)
 * @param text the file's current text (an editor buffer may differ from disk)
 * @param host reads imported files; return undefined for a file that does not exist
 * @param options cancellation, a time budget for the control-flow analysis, a shared parse cache
 * @returns diagnostics located in this file, sorted, and the model; never throws
 */
export function analyzeFile(fileName: string, text: string, host: AnalysisHost, options: AnalysisOptions = {}): AnalysisResult {
  const result: AnalysisResult = { fileName, diagnostics: [], helperDiagnostics: [], protocols: [], drivers: [], incomplete: false, internalErrors: [] };
  let root: ts.SourceFile | undefined;
  try {
    const cache = options.cache instanceof SourceFileCache ? options.cache : new SourceFileCache();
    const modules = new Modules(host, cache);
    root = modules.addRoot(fileName, text);
    const deep = tooDeep(root);
    if (deep !== undefined) {
      result.diagnostics.push(nestingDiagnostic(root, deep));
      return result;
    }
    const values = new StaticValues(modules);
    for (const call of findProtocolCalls(root)) {
      const protocol = readProtocol(call);
      result.protocols.push(protocol.toModel());
      result.diagnostics.push(...checkProtocolSpec(protocol));
    }
    const env: DriverEnvironment = {
      root,
      modules,
      values,
      deadline: options.budgetMs !== undefined ? Date.now() + options.budgetMs : Number.POSITIVE_INFINITY,
      cancellation: options.cancellation,
      rules,
    };
    for (const driver of findDrivers(root)) {
      try {
        if (options.cancellation?.isCancellationRequested) throw new Aborted("cancelled");
        if (driver.kind === "active") {
          const { diagnostics, model } = analyzeActive(driver, env);
          result.diagnostics.push(...diagnostics);
          result.drivers.push(model);
        } else {
          const protocol = driverProtocol(driver, modules);
          const den = new Denotations(modules, protocol);
          const fn = driverFunction(driver.fnExpr, (e) => den.functionOf(e));
          const model = baseModel(driver, protocol, fn);
          if (fn) {
            const passive = analyzePassive(fn, den, values, rules);
            result.diagnostics.push(...passive.diagnostics);
            model.entryPoints = passive.entryPoints;
          }
          result.drivers.push(model);
        }
      } catch (error) {
        if (error instanceof Aborted) result.incomplete = true;
        else if (isStackOverflow(error)) result.diagnostics.push(nestingDiagnostic(root));
        else result.internalErrors.push(`${fileName}: driver at offset ${driver.call.getStart(root)}: ${describe(error)}`);
      }
    }
    result.diagnostics.push(...unreadImportDiagnostics(root, modules));
  } catch (error) {
    // A tree too deep for the parser, or for the protocol reader: said on the file, like the check above.
    if (isStackOverflow(error)) result.diagnostics = [nestingDiagnostic(root)];
    else result.internalErrors.push(`${fileName}: ${describe(error)}`);
  }
  const located = result.diagnostics.filter((d) => d.range !== undefined);
  // Two drivers of this file may reach one helper in different states: one finding there.
  result.helperDiagnostics = mergeFindings(located.filter(isHelperDiagnostic));
  result.diagnostics = dedupe(located.filter((d) => !isHelperDiagnostic(d)).sort(compare));
  return result;
}

function dedupe(diagnostics: AnalysisDiagnostic[]): AnalysisDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
