// A code lens above each protocol wait: the protocol state(s) there and how many of the enabled
// messages it accepts ("state 'open' · 3/3 requests accepted", "2/3 · missing txTimeout").
import type { CodeLens } from "vscode-languageserver";
import { listText, statesText, toRange, type FeatureInput } from "./context";
import { waitCoverage, type WaitCoverage } from "./coverage";

export function lensTitle(site: WaitCoverage): string {
  const parts: string[] = [];
  const total = site.enabled.length;
  // With no known state there is nothing to count: the analysis stays silent there, and so does the lens.
  if (site.states.length === 0) parts.push("protocol state unknown here");
  else {
    parts.push(statesText(site.states) + (site.stateUnknown ? " (+ unknown)" : ""));
    if (site.missing.length === 0) parts.push(`${total}/${total} requests accepted`);
    else parts.push(`${total - site.missing.length}/${total}`, `missing ${listText(site.missing)}`);
  }
  const elsewhere = Object.keys(site.elsewhere);
  if (elsewhere.length > 0) parts.push(`${listText(elsewhere)} by thread ${listText([...new Set(Object.values(site.elsewhere))].map((t) => `'${t}'`))}`);
  if (site.owed.length > 0) parts.push(`owes ${listText(site.owed)}`);
  return parts.join(" · ");
}

export function codeLenses(input: FeatureInput): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const driver of input.result.drivers) {
    for (const site of waitCoverage(input.result, driver)) {
      // An empty command id: the editor shows the title as text, with nothing to click.
      lenses.push({ range: toRange(site.wait.range), command: { title: lensTitle(site), command: "" } });
    }
  }
  return lenses;
}
