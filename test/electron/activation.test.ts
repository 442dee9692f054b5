/// <reference types="mocha" />
// The extension in a real extension host: it activates on a driver file and registers its commands.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { extensionId, openSample, poll } from "./helpers";

suite("activation", () => {
  test("activates when a driver file opens", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded: is extensionDevelopmentPath the repository root?`);
    // Runs first (files load in name order): nothing has opened a TypeScript file yet.
    assert.equal(extension.isActive, false, "active before any driver file opened: check package.json activationEvents");
    const editor = await openSample("rtl8169/active.ts");
    assert.equal(editor.document.languageId, "typescript");
    await poll("the extension is active", () => (extension.isActive ? true : undefined));
  });

  test("registers every command it contributes", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 6, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      "contributed commands without a registration",
    );
  });
});
