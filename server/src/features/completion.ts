// Completion of mailbox names inside `wait(` (the messages the wait's states enable first) and of
// protocol messages after `d.mb.`.
import { codeSpan } from "./markdown";
import ts from "typescript";
import { CompletionItemKind, MarkupKind, type CompletionItem, type Position, type Range } from "vscode-languageserver";
import type { DriverModel, MailboxBinding, MessageModel } from "../analysis/types";
import { driverAt, rangeContains, statesText, type FeatureInput } from "./context";
import { statesNaming } from "./coverage";
import { nodeAt, sourceFileOf } from "./parse";

/** The `(` of the unclosed `wait(` call around `offset`, and the object it is called on (`d`). */
export function openWaitCall(text: string, offset: number): { open: number; context?: string } | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0 && offset - i < 4000; i--) {
    const c = text[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (c !== "(") return undefined;
      const callee = /(?:([A-Za-z_$][\w$]*)\s*\.\s*)?\bwait\s*$/.exec(text.slice(Math.max(0, i - 80), i));
      return callee === null ? undefined : { open: i, context: callee[1] };
    } else if (c === ";" && depth === 0) return undefined;
  }
  return undefined;
}

/** Names already listed in the call's arguments (last member of each: `d.mb.open` -> `open`). */
function listedNames(text: string, open: number): Set<string> {
  let depth = 0;
  let end = open + 1;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) break;
      depth--;
    } else if (c === ";" && depth === 0) break;
  }
  const names = new Set<string>();
  for (const arg of text.slice(open + 1, end).split(",")) {
    const name = /([A-Za-z_$][\w$]*)\s*$/.exec(arg.trim())?.[1];
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** True when the declaration `binding` is visible at `offset` (declared before it, in an enclosing block). */
function inScope(sf: ts.SourceFile, binding: MailboxBinding, offset: number): boolean {
  const start = sf.getPositionOfLineAndCharacter(binding.range.start.line, binding.range.start.character);
  if (start > offset) return false;
  for (let n = nodeAt(sf, start); n !== undefined; n = n.parent) {
    // The nearest block (a `const`) or function (a destructured parameter) is the binding's scope.
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) || ts.isModuleBlock(n) || ts.isFunctionLike(n)) {
      return n.getStart(sf) <= offset && offset <= n.getEnd();
    }
  }
  return false;
}

function messageDocumentation(driver: DriverModel, message: MessageModel): string {
  const lines = [`Payload: ${message.payloadType !== undefined ? codeSpan(message.payloadType) : "none"}`];
  if (message.reply !== undefined) lines.push(`Reply: ${codeSpan(message.reply)}`);
  const states = statesNaming(driver.protocol, message.name);
  if (states.length > 0) lines.push(`${message.direction === "out" ? "May be sent in" : "Enabled in"} ${statesText(states)}`);
  return lines.join("\n\n");
}

function replaceRange(input: FeatureInput, offset: number, pattern: RegExp): Range {
  const text = input.document.getText();
  const word = pattern.exec(text.slice(Math.max(0, offset - 200), offset))?.[0] ?? "";
  return { start: input.document.positionAt(offset - word.length), end: input.document.positionAt(offset) };
}

function memberCompletion(input: FeatureInput, driver: DriverModel, offset: number): CompletionItem[] {
  const range = replaceRange(input, offset, /[\w$]*$/);
  return (driver.protocol?.messages ?? []).map((m, i) => ({
    label: m.name,
    kind: CompletionItemKind.Field,
    detail:
      m.direction === "in"
        ? m.reply !== undefined
          ? `incoming request · reply ${m.reply}`
          : "incoming message"
        : m.direction === "out"
          ? "outgoing message"
          : "message",
    documentation: { kind: MarkupKind.Markdown, value: messageDocumentation(driver, m) },
    sortText: String(i).padStart(3, "0"),
    textEdit: { range, newText: m.name },
  }));
}

function waitCompletion(input: FeatureInput, driver: DriverModel, offset: number, call: { open: number; context?: string }): CompletionItem[] {
  const { document } = input;
  const text = document.getText();
  const sf = sourceFileOf(document);
  const listed = listedNames(text, call.open);
  const openPosition = document.positionAt(call.open);
  const wait = driver.waits.find((w) => w.file === input.result.fileName && rangeContains(w.range, openPosition));
  const enabled = new Set(wait?.kind === "protocol" || (wait !== undefined && wait.enabled.length > 0) ? wait.enabled : []);
  const states = wait?.states ?? [];
  const declared = driver.mailboxBindings.filter((b) => b.declaration && inScope(sf, b, offset));
  const prefix = call.context !== undefined ? `${call.context}.` : "";
  const textOf = (name: string): string => declared.find((b) => b.mailbox === name)?.text ?? `${prefix}mb.${name}`;
  const range = replaceRange(input, offset, /[\w$.]*$/);
  const items: CompletionItem[] = [];
  const incoming = (driver.protocol?.messages ?? []).filter((m) => m.direction === "in" && !listed.has(m.name));
  incoming.forEach((m, i) => {
    const isEnabled = enabled.has(m.name);
    const rank = wait === undefined || states.length === 0 ? 1 : isEnabled ? 0 : 2;
    const detail =
      wait === undefined || states.length === 0
        ? "incoming message"
        : isEnabled
          ? `enabled in ${statesText(states)}`
          : `not enabled in ${statesText(states)}: never delivered here`;
    const newText = textOf(m.name);
    items.push({
      label: m.name,
      kind: CompletionItemKind.Field,
      detail,
      documentation: { kind: MarkupKind.Markdown, value: messageDocumentation(driver, m) },
      sortText: `${rank}${String(i).padStart(3, "0")}`,
      filterText: newText,
      textEdit: { range, newText },
    });
  });
  const firstEnabled = items.find((i) => i.sortText!.startsWith("0"));
  if (firstEnabled !== undefined) firstEnabled.preselect = true;
  if (!listed.has("irq")) {
    const newText = declared.find((b) => b.kind === "device")?.text ?? `${prefix}dev.irq`;
    items.push({
      label: "irq",
      kind: CompletionItemKind.Field,
      detail: "device interrupts: { isr: number }",
      sortText: "3000",
      filterText: newText,
      textEdit: { range, newText },
    });
  }
  for (const b of declared) {
    if (b.kind !== "internal" || listed.has(b.text) || items.some((i) => i.label === b.text)) continue;
    items.push({
      label: b.text,
      kind: CompletionItemKind.Variable,
      detail: `internal mailbox ${b.mailbox}`,
      sortText: "4000",
      textEdit: { range, newText: b.text },
    });
  }
  return items;
}

export function completion(input: FeatureInput, position: Position): CompletionItem[] {
  const offset = input.document.offsetAt(position);
  const text = input.document.getText();
  const driver = driverAt(input.result, position);
  if (driver === undefined || driver.protocol === undefined) return [];
  if (/\bmb\s*\.\s*[\w$]*$/.test(text.slice(Math.max(0, offset - 200), offset))) return memberCompletion(input, driver, offset);
  const call = openWaitCall(text, offset);
  return call !== undefined ? waitCompletion(input, driver, offset, call) : [];
}
