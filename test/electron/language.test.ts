/// <reference types="mocha" />
// The analysis server through the real vscode API: diagnostics, the quick fix (live, unsaved),
// code lenses and hovers, as the editor asks for them.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { diagnosticsWithCode, hoverText, markedLine, openSample, poll, sampleUri } from "./helpers";

const broken = "broken/ad001-missing-wait.ts";

suite("language features", () => {
  teardown(async () => {
    // The quick-fix test edits without saving: leave no dirty editor to the next test.
    await vscode.commands.executeCommand("workbench.action.files.revert");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("AD001 is reported on the wait that forgets txTimeout", async () => {
    const { document } = await openSample(broken);
    const found = await poll("AD001 is reported", () => {
      const diagnostics = diagnosticsWithCode(document.uri, "AD001");
      return diagnostics.length > 0 ? diagnostics : undefined;
    });
    assert.equal(found.length, 1, `AD001 diagnostics: ${found.map((d) => d.message).join(" | ")}`);
    assert.equal(found[0]!.range.start.line, markedLine(document, "AD001"));
    assert.match(found[0]!.message, /txTimeout/);
  });

  test("the AD001 quick fix removes the diagnostic without saving", async () => {
    const { document } = await openSample(broken);
    const diagnostic = await poll("AD001 is reported", () => diagnosticsWithCode(document.uri, "AD001")[0]);
    const actions = await poll("a quick fix is offered for AD001", async () => {
      const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        "vscode.executeCodeActionProvider",
        document.uri,
        diagnostic.range,
      );
      const fixes = (all ?? []).filter(
        (a): a is vscode.CodeAction => "kind" in a && a.kind !== undefined && vscode.CodeActionKind.QuickFix.contains(a.kind) && /txTimeout/.test(a.title),
      );
      return fixes.length > 0 ? fixes : undefined;
    });
    const fix = actions[0]!;
    assert.ok(fix.edit, `the quick fix "${fix.title}" carries an edit`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, "the edit applies");
    assert.match(document.lineAt(markedLine(document, "AD001")).text, /d\.wait\([^)]*txTimeout/, "txTimeout is added to the wait");
    await poll("AD001 is gone", () => (diagnosticsWithCode(document.uri, "AD001").length === 0 ? true : undefined));
    assert.equal(document.isDirty, true, "the fix is live: the document is not saved");
    // The fixed, unsaved text is analysed too: its wait's lens now counts every request.
    const line = markedLine(document, "AD001");
    const title = await poll("the fixed wait's code lens counts all requests", async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", document.uri, 100);
      return (lenses ?? []).find((l) => l.range.start.line === line)?.command?.title;
    });
    assert.match(title, /(\d+)\/\1 requests accepted/);
  });

  test("code lenses show the requests each wait accepts", async () => {
    const { document } = await openSample("rtl8169/active.ts");
    const titles = await poll("a code lens counts the accepted requests", async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", document.uri, 100);
      const found = (lenses ?? []).map((l) => l.command?.title ?? "").filter((t) => /requests accepted/.test(t));
      return found.length > 0 ? found : undefined;
    });
    for (const title of titles) assert.match(title, /(\d+)\/\1 requests accepted/);
  });

  test("a scenario file is checked against the scenario schema as it is edited", async () => {
    const uri = sampleUri("rtl8169/scenarios/typo.json");
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{ "extends": "default", "workload": { "frames": -5, "framez": 3 } }\n'));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const messages = await poll("the JSON checks mark the workload", () => {
        const found = vscode.languages.getDiagnostics(uri).map((d) => d.message);
        return found.length >= 2 ? found : undefined;
      });
      assert.ok(
        messages.some((m) => /framez/.test(m) || /not allowed/i.test(m)),
        `an unknown workload field is marked: ${messages.join(" | ")}`,
      );
      assert.ok(
        messages.some((m) => /minimum|0/.test(m)),
        `a negative frame count is marked: ${messages.join(" | ")}`,
      );
    } finally {
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      await vscode.workspace.fs.delete(uri);
    }
  });

  test("hovering a mailbox describes the message", async () => {
    const { document } = await openSample(broken);
    const line = document
      .getText()
      .split("\n")
      .findIndex((l) => l.includes("d.wait(open, txTimeout)"));
    assert.ok(line >= 0, "the sample waits on open and txTimeout");
    const position = new vscode.Position(line, document.lineAt(line).text.indexOf("txTimeout") + 2);
    const text = await poll("the analysis server answers the hover", async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", document.uri, position);
      return (hovers ?? []).map(hoverText).find((t) => t.includes("**txTimeout**"));
    });
    assert.match(text, /incoming/);
    assert.match(text, /protocol/);
  });
});
