// Text the quick fixes insert: how to name a mailbox or `send` at a given place (using the
// bindings in scope there), and a payload skeleton from the message's payload type.
import ts from "typescript";
import { DRIVER_CONTEXT, driverApi, isDriverCapability, mailboxDen, MAILBOXES, type Denotation, type Denotations } from "./denotation";
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

/**
 * The destructured driver context around a place that names neither the context nor `send`
 * (`async ({ wait, mb }) => ...`): where to add `send` to it.
 */
function contextPattern(at: ts.Node, den: Denotations): ts.ObjectBindingPattern | undefined {
  for (let n: ts.Node | undefined = at.parent; n !== undefined; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    for (const p of n.parameters) {
      if (!ts.isObjectBindingPattern(p.name)) continue;
      if (p.name.elements.some((e) => !e.dotDotDotToken && isDriverCapability(den.ofDeclaration(e)))) return p.name;
    }
  }
  return undefined;
}

export interface SendCallee {
  /** `d.send`, or `send` when it is (or will be) destructured. */
  text: string;
  /** `send` has to be added to the destructured context first: insert `text` at `offset`. */
  binding?: { offset: number; text: string };
}

/** How to call `send` from a place: the destructured `send`, `d.send`, or `send` once added to the destructured context. */
export function sendCallee(at: ts.Node, den: Denotations): SendCallee {
  const bound = nameInScope(at, den, driverApi.send);
  if (bound !== undefined) return { text: bound };
  const context = contextText(at, den);
  if (context !== undefined) return { text: `${context}.send` };
  const pattern = contextPattern(at, den);
  const last = pattern?.elements.at(-1);
  if (pattern === undefined || last === undefined || last.dotDotDotToken !== undefined) return { text: "d.send" };
  return { text: "send", binding: { offset: last.getEnd(), text: ", send" } };
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

/** `d.send(openComplete, { status: 0 });` for a reply owed at a place (and `send` to destructure first, if need be). */
export function sendText(at: ts.Node, message: string, protocol: Protocol, den: Denotations): { text: string; binding?: SendCallee["binding"] } {
  const payload = skeletonOf(protocol.messages.get(message)?.payloadTypeNode);
  const mailbox = mailboxText(at, message, den);
  const callee = sendCallee(at, den);
  return { text: `${callee.text}(${payload === undefined ? mailbox : `${mailbox}, ${payload}`});`, ...(callee.binding ? { binding: callee.binding } : {}) };
}
