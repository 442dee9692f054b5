// Analysis findings as LSP diagnostics: code, source, a link to the rule's README section,
// related locations (possibly in other files) and the quick-fix data the code actions read back.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from "vscode-languageserver";
import type { AnalysisDiagnostic, DiagnosticCode, Severity } from "../analysis/types";
import { toRange, type FeatureInput } from "./context";

export const diagnosticSource = "active-driver";

/** Fallback base of the `#ad001` links when the server finds no README beside its package.json (the server passes that one). */
export const defaultDocsBaseUrl = "https://github.com/active-drivers/active-drivers/blob/main/README.md";

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function docsUrl(code: DiagnosticCode, baseUrl: string = defaultDocsBaseUrl): string {
  return `${baseUrl}#${code.toLowerCase()}`;
}

export function toLspDiagnostic(input: Pick<FeatureInput, "uriOf">, finding: AnalysisDiagnostic, baseUrl?: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(finding.range),
    severity: severities[finding.severity],
    code: finding.code,
    codeDescription: { href: docsUrl(finding.code, baseUrl) },
    source: diagnosticSource,
    message: finding.message,
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: input.uriOf(r.file), range: toRange(r.range) }, message: r.message }));
  }
  // A mailbox that can never deliver is dead code: editors fade it.
  if (finding.code === "AD002") diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (finding.data !== undefined) diagnostic.data = finding.data;
  return diagnostic;
}

export function documentDiagnostics(input: FeatureInput, baseUrl?: string): Diagnostic[] {
  return input.result.diagnostics.map((d) => toLspDiagnostic(input, d, baseUrl));
}
