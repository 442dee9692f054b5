// The rule registry: one module per code under rules/, each owning its detection (the listeners
// it gives the interpreter or the passive walker, listeners.ts), message text, related information
// and quick-fix data, and its entry of the table in docs/contracts.md ("Diagnostic codes"). A new
// code is a new module that exports its `rule`, plus one line here. The CLI's SARIF
// output and the language server's code descriptions read the table from here.
import { rule as ad001 } from "./rules/ad001-missing-wait";
import { rule as ad002 } from "./rules/ad002-impossible-wait";
import { rule as ad003 } from "./rules/ad003-reply-owed";
import { rule as ad004 } from "./rules/ad004-illegal-send";
import { rule as ad010 } from "./rules/ad010-stack-ripping";
import { rule as ad011 } from "./rules/ad011-callback";
import { rule as ad012 } from "./rules/ad012-flag";
import { rule as ad013 } from "./rules/ad013-foreign-await";
import { rule as ad020 } from "./rules/ad020-protocol-spec";
import { rule as ad030 } from "./rules/ad030-register-poll";
import { rule as ad090 } from "./rules/ad090-analysis-limit";
import type { Rule } from "./listeners";
import type { DiagnosticCode } from "./types";

export type { RuleInfo } from "./types";

export const rules: readonly Rule[] = [ad001, ad002, ad003, ad004, ad010, ad011, ad012, ad013, ad020, ad030, ad090];

const byCode = new Map(rules.map((rule) => [rule.code, rule]));

export function ruleInfo(code: DiagnosticCode): Rule {
  return byCode.get(code)!;
}
