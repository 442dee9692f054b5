// Quick fixes: each applied to its case gives the baseline text (golden files in baselines/,
// ACCEPT=1 rewrites them), and the re-analysed result no longer has the finding, nor any new one.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, CreateFile, TextDocumentEdit, TextEdit } from "vscode-languageserver";
import { codeActions, type CodeActionEnvironment } from "../../server/src/features/codeActions";
import { documentDiagnostics } from "../../server/src/features/diagnostics";
import { analysed, applyEdits, assertBaseline, conformance, fixtures, repo } from "./helpers";

function environment(fileName: string, canCreateFiles = true): CodeActionEnvironment {
  return {
    canCreateFiles,
    fileName,
    fileExists: (f) => fs.existsSync(f),
    uriOf: (f) => pathToFileURL(f).href,
    verify: (text) => analysed(fileName, text, 99).result.diagnostics,
  };
}

function actionsFor(file: string, code: string): { actions: CodeAction[]; text: string } {
  const input = analysed(file);
  const diagnostics = documentDiagnostics(input).filter((d) => d.code === code);
  assert.equal(diagnostics.length, 1, `one ${code} in ${path.basename(file)}`);
  return { actions: codeActions(input, diagnostics, environment(file)), text: input.document.getText() };
}

const fixes: { file: string; code: string; title: RegExp }[] = [
  { file: path.join(conformance, "missing-txtimeout-open.ts"), code: "AD001", title: /^Add txTimeout to the wait, with a handler stub$/ },
  { file: path.join(conformance, "missing-txtimeout-closed.ts"), code: "AD001", title: /handled in a loop/ },
  { file: path.join(conformance, "helper-wait.ts"), code: "AD001", title: /with a handler stub/ },
  { file: path.join(fixtures, "switch-missing.ts"), code: "AD001", title: /with a handler stub/ },
  { file: path.join(fixtures, "switch-fallthrough.ts"), code: "AD001", title: /with a handler stub/ },
  { file: path.join(fixtures, "if-else-missing.ts"), code: "AD001", title: /with a handler stub/ },
  { file: path.join(conformance, "impossible-wait.ts"), code: "AD002", title: /^Remove close from the wait/ },
  { file: path.join(conformance, "reply-owed.ts"), code: "AD003", title: /^Send openComplete \(owed to open\) before the loop$/ },
  { file: path.join(repo, "samples", "broken", "ad001-missing-wait.ts"), code: "AD001", title: /with a handler stub/ },
  { file: path.join(repo, "samples", "broken", "ad002-impossible-wait.ts"), code: "AD002", title: /^Remove close/ },
];

for (const { file, code, title } of fixes) {
  const name = path.basename(file, ".ts");
  if (!fs.existsSync(file)) continue;
  test(`${code} quick fix on ${name}: preferred, matches its baseline, and removes the finding`, () => {
    const { actions, text } = actionsFor(file, code);
    assert.equal(actions.length, 1);
    const action = actions[0]!;
    assert.match(action.title, title);
    assert.equal(action.kind, "quickfix");
    assert.equal(action.isPreferred, true);
    assert.equal(action.diagnostics?.[0]?.code, code);
    const edits = action.edit?.changes?.[pathToFileURL(file).href];
    assert.ok(edits !== undefined && edits.length > 0);
    const fixed = applyEdits(text, edits);
    assertBaseline(`${name}.${code}.ts.txt`, fixed);
    const after = analysed(file, fixed, 2).result.diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.deepEqual(after, [], "the fixed driver has no findings");
  });
}

test("AD003 owed on a loop's back edge: the send goes before the continue that carries the debt", () => {
  const file = path.join(repo, "samples", "broken", "ad003-reply-owed.ts");
  if (!fs.existsSync(file)) return;
  const { actions, text } = actionsFor(file, "AD003");
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.title, "Send openComplete (owed to open) before continue");
  const fixed = applyEdits(text, actions[0]!.edit!.changes![pathToFileURL(file).href]!);
  assertBaseline("ad003-reply-owed.AD003.ts.txt", fixed);
  assert.match(fixed, /\{ d\.send\(openComplete, \{ status: 0 \}\); continue; \} \/\/ reset stuck/);
  // Replying moves the protocol to 'open', where this wait misses close and xmit: the send alone
  // is not the whole fix, so it is offered but not preferred.
  assert.equal(actions[0]!.isPreferred, false);
  assert.deepEqual(
    analysed(file, fixed, 2).result.diagnostics.map((d) => d.code),
    ["AD001"],
  );
});

test("the stub lands where the dispatch is: end of a switch, first clause after a fall-through, before a final else", () => {
  const fixed = (file: string): string => {
    const { actions, text } = actionsFor(path.join(fixtures, file), "AD001");
    return applyEdits(text, Object.values(actions[0]!.edit!.changes!)[0]!);
  };
  assert.match(fixed("switch-missing.ts"), /state = "closed";\n\s+break;\n\s+case "txTimeout": \/\* TODO \*\/ break;\n\s+\}/);
  assert.match(fixed("switch-fallthrough.ts"), /switch \(b\.mb\) \{\n\s+case txTimeout: \/\* TODO \*\/ break;\n\s+case xmit:/);
  assert.match(fixed("if-else-missing.ts"), /\} else if \(b\.mb === txTimeout\) \{\n\s+\/\/ TODO: handle txTimeout\n\s+\} else \{/);
});

test("a diagnostic from an older analysis still gets its fix from the data it carries", () => {
  const file = path.join(conformance, "impossible-wait.ts");
  const input = analysed(file);
  const [diagnostic] = documentDiagnostics(input);
  const stale = { ...diagnostic!, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const actions = codeActions(input, [stale], environment(file));
  assert.equal(actions.length, 1);
  assert.match(actions[0]!.title, /^Remove close/);
  assert.deepEqual(codeActions(input, [{ ...stale, source: "eslint" }], environment(file)), [], "other sources are not ours");
  assert.deepEqual(codeActions(input, [diagnostic!], environment(file), ["refactor"]), [], "`only` filters by kind");
});

test("AD010/AD011 convert the passive driver into an active skeleton in a new file that analyses clean", () => {
  const file = path.join(conformance, "passive-ripped.ts");
  const input = analysed(file);
  const diagnostics = documentDiagnostics(input);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ["AD010", "AD011"],
  );
  const actions = codeActions(input, diagnostics, environment(file));
  assert.equal(actions.length, 1, "one conversion for both findings");
  const convert = actions[0]!;
  assert.match(convert.title, /^Convert to an active driver \(new file passive-ripped\.active\.ts\)$/);
  assert.equal(convert.isPreferred, false);
  const [create, insert] = convert.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
  const target = path.join(conformance, "passive-ripped.active.ts");
  assert.equal(create.kind, "create");
  assert.equal(create.uri, pathToFileURL(target).href);
  assert.equal(insert.textDocument.uri, create.uri);
  const skeleton = (insert.edits[0] as TextEdit).newText;
  assertBaseline("passive-ripped.active.ts.txt", skeleton);
  // Analysed where it would be written (beside the protocol it imports): no findings at all.
  const result = analysed(target, skeleton).result;
  assert.deepEqual(
    result.diagnostics.map((d) => d.message),
    [],
  );
  assert.equal(result.drivers[0]?.kind, "active");
  assert.deepEqual(codeActions(input, diagnostics, environment(file, false)), [], "no conversion without CreateFile support");
});
