// Text the quick fixes insert: how to name a mailbox or `send` at a given place (using the
// bindings in scope there), and a payload skeleton from the message's payload type.
import ts from "typescript";
import { DRIVER_CONTEXT, driverApi, mailboxDen, MAILBOXES, type Denotation, type Denotations } from "./denotation";
import { protocolMailbox } from "./mailboxKeys";
import type { Protocol } from "./protocol";
import { declarationsOf } from "./scope";
import { memberAccess, propertyNameText, unwrap } from "./syntax";

/** The first in-scope name whose declaration denotes `den`. */
function nameInScope(at: ts.Node, den: Denotations, wanted: Denotation): string | undefined {
  for (let n: ts.Node | undefined = at.parent; n !== undefined; n = n.parent) {
    const names = declarationsOf(n);
    if (!names) continue;
    for (const [name, decl] of names) {
      if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl)) continue;
      if (den.ofDeclaration(decl) === wanted) return name;
    }
  }
  return undefined;
}

/** An expression denoting the driver context near `call` (`d` in `d.wait(...)`). */
function contextText(at: ts.Node, den: Denotations): string | undefined {
  const access = ts.isCallExpression(at) ? memberAccess(unwrap(at.expression)) : undefined;
  if (access && den.of(access.object) === DRIVER_CONTEXT) return access.object.getText();
  return nameInScope(at, den, DRIVER_CONTEXT);
}

/** How to write the protocol mailbox `message` at a place (a wait call, a return, a function body). */
export function mailboxText(at: ts.Node, message: string, den: Denotations): string {
  const bound = nameInScope(at, den, mailboxDen(protocolMailbox(message)));
  if (bound !== undefined) return bound;
  for (const arg of ts.isCallExpression(at) ? at.arguments : []) {
    const access = memberAccess(unwrap(arg));
    if (access && den.of(access.object) === MAILBOXES) return `${access.object.getText()}.${message}`;
  }
  const mb = nameInScope(at, den, MAILBOXES);
  if (mb !== undefined) return `${mb}.${message}`;
  return `${contextText(at, den) ?? "d"}.mb.${message}`;
}

/** `d.send` (or the destructured `send`) as seen from a place. */
export function sendCalleeText(at: ts.Node, den: Denotations): string {
  return nameInScope(at, den, driverApi.send) ?? `${contextText(at, den) ?? "d"}.send`;
}

function skeletonOf(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case ts.SyntaxKind.NumberKeyword:
      return "0";
    case ts.SyntaxKind.StringKeyword:
      return '""';
    case ts.SyntaxKind.BooleanKeyword:
      return "false";
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
      return undefined;
    default:
      break;
  }
  if (ts.isTypeLiteralNode(type)) {
    const fields = type.members
      .filter((m): m is ts.PropertySignature => ts.isPropertySignature(m) && !m.questionToken)
      .map((m) => `${propertyNameText(m.name) ?? m.name.getText()}: ${skeletonOf(m.type) ?? "undefined"}`);
    return fields.length === 0 ? "{}" : `{ ${fields.join(", ")} }`;
  }
  if (ts.isTypeReferenceNode(type) && type.typeName.getText() === "Uint8Array") return "new Uint8Array(0)";
  return "undefined as never";
}

/** `d.send(openComplete, { status: 0 });` for a reply owed at a place. */
export function sendText(at: ts.Node, message: string, protocol: Protocol, den: Denotations): string {
  const payload = skeletonOf(protocol.messages.get(message)?.payloadTypeNode);
  const mailbox = mailboxText(at, message, den);
  return `${sendCalleeText(at, den)}(${payload === undefined ? mailbox : `${mailbox}, ${payload}`});`;
}
