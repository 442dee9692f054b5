// An active driver skeleton for a passive one: one thread, a `for (;;) switch (state)` over the
// protocol states in which the driver waits, each state waiting on exactly the messages its row
// enables, and every request answered by its reply before the next wait.
import * as path from "node:path";
import ts from "typescript";
import type { DriverModel, MessageModel, ProtocolModel } from "../analysis/types";

export interface SkeletonSource {
  /** The passive driver's file (its imports are copied, relative to the same folder). */
  fileName: string;
  sourceFile: ts.SourceFile;
  driver: DriverModel;
}

interface Handler {
  message: string;
  reply?: string;
  /** The state after handling (and replying). */
  next: string;
}

/** The states in which an active driver waits, and what it does on each message there. */
export function activeStates(protocol: ProtocolModel): Map<string, Handler[]> {
  const messages = new Map(protocol.messages.map((m) => [m.name, m]));
  const rows = new Map(protocol.states.map((s) => [s.name, new Map(s.transitions.map((t) => [t.message, t.target]))]));
  const out = new Map<string, Handler[]>();
  const queue = protocol.initial !== undefined && rows.has(protocol.initial) ? [protocol.initial] : [];
  while (queue.length > 0) {
    const state = queue.shift()!;
    if (out.has(state)) continue;
    const handlers: Handler[] = [];
    out.set(state, handlers);
    for (const message of protocol.messages) {
      if (message.direction !== "in") continue;
      const target = rows.get(state)?.get(message.name);
      if (target === undefined) continue;
      let next = target;
      const reply = message.reply !== undefined && messages.get(message.reply)?.direction === "out" ? message.reply : undefined;
      // The reply is sent at once, so the state it leads to is where the driver waits next.
      if (reply !== undefined) next = rows.get(target)?.get(reply) ?? target;
      handlers.push({ message: message.name, reply, next });
      if (rows.has(next) && !out.has(next)) queue.push(next);
    }
  }
  return out;
}

/** A value of a payload type written as source text (`{ status: number }` -> `{ status: 0 }`). */
export function defaultValue(typeText: string | undefined): string | undefined {
  if (typeText === undefined) return undefined;
  const sf = ts.createSourceFile("payload.ts", `type T = ${typeText};`, ts.ScriptTarget.Latest, true);
  const alias = sf.statements[0];
  if (alias === undefined || !ts.isTypeAliasDeclaration(alias)) return "undefined as never";
  return valueOf(alias.type, sf);
}

function valueOf(type: ts.TypeNode, sf: ts.SourceFile): string {
  switch (type.kind) {
    case ts.SyntaxKind.NumberKeyword:
      return "0";
    case ts.SyntaxKind.StringKeyword:
      return '""';
    case ts.SyntaxKind.BooleanKeyword:
      return "false";
    case ts.SyntaxKind.BigIntKeyword:
      return "0n";
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
      return "undefined";
  }
  if (ts.isLiteralTypeNode(type)) return type.literal.getText(sf);
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return "[]";
  if (ts.isUnionTypeNode(type)) return valueOf(type.types[0]!, sf);
  if (ts.isParenthesizedTypeNode(type)) return valueOf(type.type, sf);
  if (
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    /^(Uint8|Int8|Uint16|Int16|Uint32|Int32|Float32|Float64)Array$/.test(type.typeName.text)
  ) {
    return `new ${type.typeName.text}(0)`;
  }
  if (ts.isTypeLiteralNode(type)) {
    const members = type.members.filter(ts.isPropertySignature).filter((m) => m.questionToken === undefined && m.type !== undefined);
    return members.length === 0 ? "{}" : `{ ${members.map((m) => `${m.name.getText(sf)}: ${valueOf(m.type!, sf)}`).join(", ")} }`;
  }
  return "undefined as never";
}

/** The identifier text of a property of the driver's config object (`protocol: Ethernet`). */
function configProperty(sf: ts.SourceFile, driver: DriverModel, name: string): string | undefined {
  let found: string | undefined;
  const start = sf.getPositionOfLineAndCharacter(driver.range.start.line, driver.range.start.character);
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isCallExpression(node) && node.getStart(sf) === start) {
      const config = node.arguments[0];
      if (config !== undefined && ts.isObjectLiteralExpression(config)) {
        for (const p of config.properties) {
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === name && ts.isIdentifier(p.initializer)) found = p.initializer.text;
          if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) found = p.name.text;
        }
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `import { X } from "..."` for an identifier of the passive file, as seen from the same folder. */
function importFor(sf: ts.SourceFile, fileName: string, identifier: string): string {
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === identifier);
    if (element === undefined) continue;
    const imported = element.propertyName === undefined ? identifier : `${element.propertyName.getText(sf)} as ${identifier}`;
    return `import { ${imported} } from ${JSON.stringify(statement.moduleSpecifier.text)};`;
  }
  // Declared in the passive file itself (export it there if it is not).
  return `import { ${identifier} } from ${JSON.stringify(`./${path.basename(fileName).replace(/\.[cm]?tsx?$/, "")}`)};`;
}

function sendText(message: MessageModel | undefined, name: string): string {
  const value = defaultValue(message?.payloadType);
  return value === undefined || value === "undefined" ? `d.send(${name});` : `d.send(${name}, ${value});`;
}

/** The skeleton's source text, or undefined when the protocol is not known well enough. */
export function activeSkeleton(source: SkeletonSource, nl = "\n", unit = "  "): string | undefined {
  const { driver, sourceFile: sf, fileName } = source;
  const protocol = driver.protocol;
  if (protocol === undefined || !protocol.complete || protocol.initial === undefined) return undefined;
  const protocolId = configProperty(sf, driver, "protocol");
  if (protocolId === undefined) return undefined;
  const deviceId = configProperty(sf, driver, "device");
  const states = activeStates(protocol);
  if (states.size === 0) return undefined;
  const messages = new Map(protocol.messages.map((m) => [m.name, m]));
  const used = new Set<string>();
  for (const handlers of states.values()) for (const h of handlers) [h.message, h.reply].forEach((m) => m !== undefined && used.add(m));
  const mailboxes = protocol.messages.filter((m) => used.has(m.name)).map((m) => m.name);
  const entryLine = new Map(driver.entryPoints.map((e) => [e.name, e.range.start.line + 1]));
  const base = path.basename(fileName);
  const hasIrq = deviceId !== undefined && entryLine.has("irq");

  const lines: string[] = [];
  const at = (depth: number, text: string): void => void lines.push(text === "" ? "" : unit.repeat(depth) + text);
  at(0, `// Active skeleton of the passive driver in ${base}: one thread that waits, in each protocol`);
  at(0, `// state, on exactly the messages the state enables, and sends each reply before the next wait.`);
  at(0, `import { defineDriver } from "active-driver";`);
  at(0, importFor(sf, fileName, protocolId));
  if (deviceId !== undefined) at(0, importFor(sf, fileName, deviceId));
  at(0, "");
  at(0, `export default defineDriver({ protocol: ${protocolId}${deviceId !== undefined ? `, device: ${deviceId}` : ""} }, async (d) => {`);
  if (mailboxes.length > 0) at(1, `const { ${mailboxes.join(", ")} } = d.mb;`);
  const stateNames = [...states.keys()];
  at(1, `let state: ${stateNames.map((s) => JSON.stringify(s)).join(" | ")} = ${JSON.stringify(protocol.initial)};`);
  at(1, "for (;;) {");
  at(2, "switch (state) {");
  for (const [state, handlers] of states) {
    at(3, `case ${JSON.stringify(state)}: {`);
    if (handlers.length === 0) {
      at(4, `// No message can arrive in state '${state}': the driver's work is done.`);
      at(4, "return;");
      at(3, "}");
      continue;
    }
    const waited = handlers.map((h) => h.message);
    if (hasIrq) waited.push("d.dev.irq");
    at(4, `const r = await d.wait(${waited.join(", ")});`);
    at(4, "switch (r.name) {");
    for (const h of handlers) {
      at(5, `case ${JSON.stringify(h.message)}:`);
      const line = entryLine.get(h.message);
      at(6, line !== undefined ? `// TODO: the work of ${h.message}() in ${base}:${line}` : `// TODO: handle ${h.message}`);
      if (h.reply !== undefined) at(6, sendText(messages.get(h.reply), h.reply));
      if (h.next !== state) at(6, `state = ${JSON.stringify(h.next)};`);
      at(6, "break;");
    }
    if (hasIrq) {
      at(5, `case "irq":`);
      at(6, `// TODO: the work of irq() in ${base}:${entryLine.get("irq")}`);
      at(6, "break;");
    }
    at(4, "}");
    at(4, "break;");
    at(3, "}");
  }
  at(2, "}");
  at(1, "}");
  at(0, "});");
  return lines.join(nl) + nl;
}

/** `passive.ts` -> `passive.active.ts` (then `passive.active2.ts`, ... while `exists` says taken). */
export function skeletonFileName(fileName: string, exists: (candidate: string) => boolean): string {
  const stem = fileName.replace(/\.[cm]?tsx?$/, "");
  for (let i = 1; ; i++) {
    const candidate = `${stem}.active${i === 1 ? "" : i}.ts`;
    if (!exists(candidate)) return candidate;
  }
}
