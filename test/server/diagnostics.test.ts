// LSP diagnostics from the analysis: every conformance case's markers, with code, source, the
// README link, severity, related locations in other files and the quick-fix data.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, DiagnosticTag } from "vscode-languageserver";
import { docsUrl, documentDiagnostics } from "../../server/src/features/diagnostics";
import { analysed, conformance, fixtures, markers, repo } from "./helpers";

/** The conformance corpus, samples/broken (once written: one file per code) and this suite's fixtures. */
const broken = path.join(repo, "samples", "broken");
const cases = [conformance, ...(fs.existsSync(broken) ? [broken] : []), fixtures]
  .flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)))
  .filter((f) => f.endsWith(".ts"));

test("the corpus is there", () => {
  assert.ok(cases.length >= 15, `only ${cases.length} cases`);
});

for (const file of cases) {
  test(`diagnostics of ${path.basename(path.dirname(file))}/${path.basename(file)} match its markers`, () => {
    const input = analysed(file);
    const diagnostics = documentDiagnostics(input);
    const actual = diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`).sort();
    const expected = [...markers(input.document.getText())].flatMap(([line, codes]) => codes.map((c) => `${line + 1}:${c}`)).sort();
    assert.deepEqual(actual, expected);
    for (const d of diagnostics) {
      assert.equal(d.source, "active-driver");
      assert.match(String(d.code), /^AD\d{3}$/);
      assert.equal(d.codeDescription?.href, docsUrl(d.code as "AD001"));
      assert.ok(d.severity !== undefined && d.severity >= DiagnosticSeverity.Error && d.severity <= DiagnosticSeverity.Information);
      assert.ok(!/\n/.test(String(d.message)), "one-line message");
    }
  });
}

test("AD001 points at the wait call, links the protocol row in the other file and carries its fix data", () => {
  const file = path.join(conformance, "missing-txtimeout-open.ts");
  const input = analysed(file);
  const [d] = documentDiagnostics(input);
  assert.ok(d !== undefined);
  const line = input.document.getText().split("\n")[d.range.start.line]!;
  assert.equal(line.slice(d.range.start.character, d.range.end.character), "d.wait(close, xmit)");
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.match(String(d.message), /txTimeout/);
  assert.match(String(d.message), /'open'/);
  const related = d.relatedInformation ?? [];
  assert.ok(related.length > 0, "related locations");
  assert.equal(related[0]!.location.uri, pathToFileURL(path.join(conformance, "ethernet.protocol.ts")).href);
  assert.equal((d.data as { kind: string }).kind, "missingMessages");
});

test("a dead mailbox (AD002) is a warning marked unnecessary; a docs base URL can be given", () => {
  const input = analysed(path.join(conformance, "impossible-wait.ts"));
  const [d] = documentDiagnostics(input, "file:///docs/README.md");
  assert.ok(d !== undefined);
  assert.equal(d.code, "AD002");
  assert.equal(d.severity, DiagnosticSeverity.Warning);
  assert.deepEqual(d.tags, [DiagnosticTag.Unnecessary]);
  assert.equal(d.codeDescription?.href, "file:///docs/README.md#ad002");
});
