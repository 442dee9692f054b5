// AD010: in a passive driver, a variable or field written in one entry point and tested in
// another's control flow: state carried across invocations (stack ripping). Reported at the
// declaration, with where it is written and where it is tested. (Found by the passive walker.)
import type ts from "typescript";
import { diagnostic } from "../report";
import { listText } from "../text";
import type { AnalysisDiagnostic, RelatedLocation, RuleInfo } from "../types";

export const rule: RuleInfo = {
  code: "AD010",
  severity: "warning",
  name: "StackRipping",
  title: "Passive driver: state carried across entry points in a variable (stack ripping).",
  help: "A variable written in one entry point and tested in another's control flow encodes the driver's control flow in data. An active driver keeps this sequence in its code: one thread, one wait per state.",
};

/** AD010. */
export function rippedStateText(variable: string, writtenIn: readonly string[], testedIn: readonly string[]): string {
  return `'${variable}' is written in ${listText(writtenIn)} and tested in ${listText(testedIn)}: state carried across entry points (stack ripping)`;
}

export function rippedStateDiagnostic(
  decl: ts.Node,
  variable: string,
  writtenIn: string[],
  testedInText: string[],
  testedIn: string[],
  written: RelatedLocation,
  tested: RelatedLocation,
): AnalysisDiagnostic {
  return diagnostic(rule, decl, rippedStateText(variable, writtenIn, testedInText), {
    related: [written, tested],
    data: { kind: "rippedState", variable, writtenIn, testedIn },
  });
}
