// Every feature on every prefix of the cases, as if typed character by character: an answer,
// never an exception (the analysis may say little about broken code; the features must cope).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { codeActions } from "../../server/src/features/codeActions";
import { codeLenses } from "../../server/src/features/codeLens";
import { completion } from "../../server/src/features/completion";
import { featureInput } from "../../server/src/features/context";
import { definition } from "../../server/src/features/definition";
import { documentDiagnostics } from "../../server/src/features/diagnostics";
import { hover } from "../../server/src/features/hover";
import { analysisStatus, protocolGraphs } from "../../server/src/features/status";
import { documentSymbols } from "../../server/src/features/symbols";
import { analyze, createCache } from "../../server/src/workspace/analyzer";
import { conformance, fixtures, readDisk } from "./helpers";

const files = [
  path.join(conformance, "fig4-ok.ts"),
  path.join(conformance, "helper-wait.ts"),
  path.join(conformance, "passive-ripped.ts"),
  path.join(conformance, "bad-protocol.ts"),
  path.join(fixtures, "switch-missing.ts"),
];
/** Every 3rd prefix keeps the run short; the step is prime to the usual token lengths. */
const STEP = 3;

for (const file of files) {
  test(`every feature answers on every prefix of ${path.basename(file)}`, () => {
    const full = fs.readFileSync(file, "utf8");
    const cache = createCache();
    const uri = pathToFileURL(file).href;
    let answered = 0;
    for (let end = 0; end <= full.length; end += STEP) {
      const text = full.slice(0, end);
      const document = TextDocument.create(uri, "typescript", end + 1, text);
      const result = analyze(file, text, { readFile: readDisk }, { cache });
      const input = featureInput(document, result);
      const at = document.positionAt(end);
      const middle = document.positionAt(Math.floor(end / 2));
      try {
        const diagnostics = documentDiagnostics(input);
        codeActions(input, diagnostics, { canCreateFiles: true, fileName: file, fileExists: () => false, uriOf: (f) => pathToFileURL(f).href });
        codeLenses(input);
        documentSymbols(input);
        hover(input, at);
        hover(input, middle);
        definition(input, middle);
        completion(input, at);
        analysisStatus(input, 0);
        protocolGraphs(input);
        answered++;
      } catch (error) {
        assert.fail(`prefix of ${end} characters of ${path.basename(file)}: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    assert.equal(answered, Math.floor(full.length / STEP) + 1);
  });
}
