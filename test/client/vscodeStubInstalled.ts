// Imported first by tests that load extension code: installs the `vscode` stand-in before any
// client module requires `vscode`. `trust.trusted` flips Workspace Trust.
import { installVscodeStub } from "./vscodeStub";

export const trust = { trusted: false };

export const record = installVscodeStub({
  get trusted() {
    return trust.trusted;
  },
});
