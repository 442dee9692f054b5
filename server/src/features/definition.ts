// Go to definition from a mailbox identifier (`open`, `d.mb.open`, `{ open } = d.mb`) to the
// protocol message it is bound to, also when the protocol lives in another file.
import type { LocationLink, Position } from "vscode-languageserver";
import { rangeContains, toRange, type FeatureInput } from "./context";

export function definition(input: FeatureInput, position: Position): LocationLink[] | null {
  for (const driver of input.result.drivers) {
    const binding = driver.mailboxBindings.find((b) => rangeContains(b.range, position));
    if (binding === undefined) continue;
    const protocol = driver.protocol;
    const message = protocol?.messages.find((m) => m.name === binding.mailbox);
    if (protocol === undefined || message === undefined) return null;
    return [
      {
        originSelectionRange: toRange(binding.range),
        targetUri: input.uriOf(protocol.file),
        targetRange: toRange(message.range),
        targetSelectionRange: toRange(message.nameRange),
      },
    ];
  }
  return null;
}
