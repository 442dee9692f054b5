// Hovers: on a mailbox identifier (payload, direction, reply, the states that enable it, the thread
// that waits on it) and on a wait call (its protocol states and how well it covers them).
import { codeSpan, escapeMarkdown } from "./markdown";
import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import type { DriverModel, MailboxBinding, MessageModel, WaitSiteModel } from "../analysis/types";
import { listText, rangeContains, sameRange, statesText, toRange, type FeatureInput } from "./context";
import { statesNaming, waitCoverage } from "./coverage";

const code = codeSpan;
/** A name in bold, escaped. */
const bold = (text: string): string => `**${escapeMarkdown(text)}**`;

function lineList(waits: readonly WaitSiteModel[]): string {
  const lines = [...new Set(waits.map((w) => w.range.start.line + 1))].sort((a, b) => a - b);
  return `${lines.length === 1 ? "line" : "lines"} ${listText(lines.map(String))}`;
}

function messageLines(driver: DriverModel, message: MessageModel): string[] {
  const protocol = driver.protocol!;
  const out: string[] = [];
  const requestOf = protocol.messages.filter((m) => m.reply === message.name).map((m) => m.name);
  if (message.direction === "in") {
    out.push(`${bold(message.name)} · incoming ${message.reply !== undefined ? "request" : "message"} (OS → driver) of protocol ${code(protocol.name ?? "?")}`);
  } else if (message.direction === "out") {
    out.push(`${bold(message.name)} · outgoing message (driver → OS) of protocol ${code(protocol.name ?? "?")}`);
  } else {
    out.push(`${bold(message.name)} · message of protocol ${code(protocol.name ?? "?")}`);
  }
  out.push(`Payload: ${message.payloadType !== undefined ? code(message.payloadType) : "none"}`);
  if (message.reply !== undefined) out.push(`Reply: ${code(message.reply)} (owed until sent)`);
  if (requestOf.length > 0) out.push(`Answers: ${listText(requestOf.map(code))}`);
  const states = statesNaming(protocol, message.name);
  const verb = message.direction === "out" ? "May be sent in" : "Enabled in";
  out.push(states.length > 0 ? `${verb} ${statesText(states)}` : `${verb} no state`);
  return out;
}

function waitersLines(driver: DriverModel, mailbox: string, fileName: string): string[] {
  const threads = driver.threads.filter((t) => t.owns.includes(mailbox)).map((t) => code(t.name));
  const waits = driver.waits.filter((w) => w.file === fileName && w.mailboxes.some((m) => m.name === mailbox));
  if (threads.length === 0 && waits.length === 0) return [];
  const who = threads.length > 0 ? `Waited on by thread ${listText(threads)}` : "Waited on";
  return [waits.length > 0 ? `${who} (${lineList(waits)})` : who];
}

function mailboxHover(input: FeatureInput, driver: DriverModel, binding: MailboxBinding): Hover {
  const lines: string[] = [];
  const message = driver.protocol?.messages.find((m) => m.name === binding.mailbox);
  if (message !== undefined && (binding.kind === "in" || binding.kind === "out" || binding.kind === "unknown")) {
    lines.push(...messageLines(driver, message));
  } else if (binding.kind === "device") {
    lines.push(`${bold(binding.mailbox)} · device interrupt mailbox (${code("d.dev.irq")})`, `Payload: ${code("{ isr: number }")}`);
  } else if (binding.kind === "internal") {
    lines.push(`${bold(binding.mailbox)} · internal mailbox (between the driver's threads)`);
  } else {
    lines.push(`${bold(binding.mailbox)} · mailbox`);
  }
  lines.push(...waitersLines(driver, binding.mailbox, input.result.fileName));
  return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n\n") }, range: toRange(binding.range) };
}

function waitHover(input: FeatureInput, driver: DriverModel, wait: WaitSiteModel): Hover {
  const lines: string[] = [];
  const site = waitCoverage(input.result, driver).find((s) => sameRange(s.wait.range, wait.range));
  if (wait.kind === "inner" || site === undefined) {
    lines.push(`**Inner ${wait.sleep ? "sleep" : "wait"}** · thread ${code(wait.thread)}`);
    lines.push("Protocol messages stay queued until the next protocol wait.");
    if (wait.states.length > 0) lines.push(`Protocol ${statesText(wait.states)}`);
    if (wait.owed.length > 0) lines.push(`Owes: ${listText(wait.owed.map(code))}`);
    return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n\n") }, range: toRange(wait.range) };
  }
  const where =
    site.states.length > 0
      ? statesText(site.states) + (site.stateUnknown ? " (and a state the analysis cannot tell)" : "")
      : "a state the analysis cannot tell";
  lines.push(`**Protocol wait** in ${where} · thread ${listText(site.threads.map(code))}`);
  const accepted = site.enabled.length - site.missing.length;
  lines.push(`Accepts ${accepted}/${site.enabled.length} enabled messages${site.accepted.length > 0 ? `: ${listText(site.accepted.map(code))}` : ""}`);
  for (const [message, thread] of Object.entries(site.elsewhere)) lines.push(`${code(message)} is covered by thread ${code(thread)}`);
  if (site.missing.length > 0) {
    const perState = Object.entries(site.missingByState).map(([state, missing]) => `${listText(missing.map(code))} in '${escapeMarkdown(state)}'`);
    lines.push(`Missing: ${perState.length > 0 ? perState.join("; ") : listText(site.missing.map(code))}`);
  }
  if (site.owed.length > 0) lines.push(`Owes: ${listText(site.owed.map(code))}`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n\n") }, range: toRange(wait.range) };
}

export function hover(input: FeatureInput, position: Position): Hover | null {
  const { result } = input;
  for (const driver of result.drivers) {
    const binding = driver.mailboxBindings.find((b) => rangeContains(b.range, position));
    if (binding !== undefined) return mailboxHover(input, driver, binding);
  }
  // The innermost wait holding the position (a wait's argument list may hold another call).
  let best: { driver: DriverModel; wait: WaitSiteModel } | undefined;
  for (const driver of result.drivers) {
    for (const wait of driver.waits) {
      if (wait.file !== result.fileName || !rangeContains(wait.range, position)) continue;
      if (best === undefined || rangeContains(best.wait.range, wait.range.start)) best = { driver, wait };
    }
  }
  return best !== undefined ? waitHover(input, best.driver, best.wait) : null;
}
