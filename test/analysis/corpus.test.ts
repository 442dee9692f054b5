// The project's own corpus (test/analysis/cases) and the broken samples (samples/broken): each file
// gives exactly the diagnostics its `//~` markers name, and the text of the CLI's report matches
// the golden file in baselines/ (ACCEPT=1 rewrites the golden files). Findings inside helpers in
// cases/lib land on lines marked there; together the cases reach every such marker.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { formatText } from "../../cli/src/check";
import { ruleInfo, type AnalysisDiagnostic, type DiagnosticCode } from "../../server/src/analysis";
import { actualMarkers, analyzePath, baselinesDir, brokenDir, casesDir, describe, expectedMarkers, repoRoot, tsFiles } from "./harness";

const accept = process.env.ACCEPT === "1";
const corpus = [...tsFiles(casesDir), ...tsFiles(brokenDir)];
const libDir = path.join(casesDir, "lib");
/** "file:line:code" of every helper finding the corpus gives. */
const helperFindings = new Set<string>();

function shownPath(file: string): string {
  return path.relative(repoRoot, file).split(path.sep).join("/");
}

function baselineName(file: string): string {
  const dir = path.basename(path.dirname(file)) === "broken" ? "broken-" : "";
  return `${dir}${path.basename(file, ".ts")}.txt`;
}

for (const file of corpus) {
  const shown = path.relative(repoRoot, file).split(path.sep).join("/");
  test(`corpus: ${shown}`, () => {
    const { text, result } = analyzePath(file);
    assert.deepEqual(result.internalErrors, []);
    assert.deepEqual(actualMarkers(result.diagnostics), expectedMarkers(text), `${shown} gave:\n${describe(result)}`);
    for (const d of result.diagnostics) {
      if (!(d.code === "AD020" && d.severity === "warning")) assert.equal(d.severity, ruleInfo(d.code).severity, `${d.code} severity`);
      assert.ok(d.message.length > 0 && !d.message.includes("\n"), "one-line message");
    }
    const helperFiles = new Map<string, AnalysisDiagnostic[]>();
    for (const { file: helper, ...d } of result.helperDiagnostics ?? []) {
      const marked = expectedMarkers(readFileSync(helper, "utf8"));
      const [at] = actualMarkers([d]);
      assert.ok(marked.includes(at!), `${shownPath(helper)}:${at} is not marked: ${d.message}`);
      helperFindings.add(`${shownPath(helper)}:${at}`);
      helperFiles.set(shownPath(helper), [...(helperFiles.get(shownPath(helper)) ?? []), d]);
    }
    const report = formatText([
      { file: shown, diagnostics: result.diagnostics },
      ...[...helperFiles].map(([file, diagnostics]) => ({ file, diagnostics, reached: true })),
    ]);
    const baseline = path.join(baselinesDir, baselineName(file));
    if (accept || !existsSync(baseline)) {
      assert.ok(accept, `no baseline ${path.relative(repoRoot, baseline)}: run with ACCEPT=1 to write it`);
      mkdirSync(baselinesDir, { recursive: true });
      writeFileSync(baseline, report);
    }
    assert.equal(report, readFileSync(baseline, "utf8"), `message text changed; ACCEPT=1 rewrites ${path.basename(baseline)}`);
  });
}

test("the corpus reaches every finding marked in the helpers of cases/lib", () => {
  for (const file of tsFiles(libDir)) {
    for (const at of expectedMarkers(readFileSync(file, "utf8")))
      assert.ok(helperFindings.has(`${shownPath(file)}:${at}`), `${shownPath(file)}:${at} marked but reached by no case`);
  }
});

test("samples/broken has one sample per diagnostic code, each with exactly one diagnostic of its code", () => {
  const codes: DiagnosticCode[] = ["AD001", "AD002", "AD003", "AD004", "AD010", "AD011", "AD012", "AD013", "AD020", "AD030"];
  for (const code of codes) {
    const files = tsFiles(brokenDir).filter((f) => path.basename(f).startsWith(code.toLowerCase()));
    assert.equal(files.length, 1, `one sample for ${code}`);
    const { text, result } = analyzePath(files[0]!);
    assert.match(text, /^\/\/ /, "starts with a comment saying what it shows");
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      [code],
      `${path.basename(files[0]!)}:\n${describe(result)}`,
    );
    assert.match(text, /from "active-driver"/);
  }
  const { result } = analyzePath(path.join(brokenDir, "protocol.ts"));
  assert.deepEqual(result.diagnostics, []);
});
