// What a trace event says, as plain text: the row label, the tooltip and the search haystack.
import type { TraceEvent } from "../../shared/messages";
import { str } from "../../shared/page/dom";

export function laneName(lane: string): string {
  if (lane.startsWith("thread:")) return lane.slice("thread:".length);
  if (lane === "os") return "OS";
  if (lane === "nic") return "NIC";
  return lane;
}

function call(mailbox: unknown, payload: unknown): string {
  const p = str(payload);
  return p === "" ? str(mailbox) : `${str(mailbox)}(${p})`;
}

export function eventLabel(e: TraceEvent): string {
  switch (e.kind) {
    case "send":
      return call(e.mailbox, e.payload) || str(e.detail);
    case "deliver":
      return `deliver ${call(e.mailbox, e.payload)}`;
    case "wait":
      return `wait ${str(e.mailbox ?? e.detail)}`.trim();
    case "wake":
      return `wake ${str(e.mailbox ?? e.detail)}`.trim();
    case "state":
      return `state \u2192 ${str(e.state)}`;
    case "fault":
      return `${str(e.fault) || "fault"}: ${str(e.detail ?? e.payload)}`;
    case "log":
      return `log ${str(e.detail ?? e.payload)}`;
    default:
      return [e.mailbox, e.detail ?? e.payload].map(str).filter(Boolean).join(" ") || str(e.kind);
  }
}

export function formatTime(us: unknown): string {
  return typeof us === "number" ? `${(us / 1000).toFixed(3)} ms` : "";
}

export function eventTooltip(e: TraceEvent): string {
  const route = e.to !== undefined ? `${str(e.from)} \u2192 ${str(e.to)}` : str(e.from);
  const lines = [`#${str(e.seq)} ${str(e.kind)} at ${formatTime(e.time)}  ${route}`, eventLabel(e)];
  if (e.state !== undefined && e.kind !== "state") lines.push(`state: ${str(e.state)}`);
  if (e.detail !== undefined && e.kind !== "fault") lines.push(str(e.detail));
  if (e.loc) lines.push(`${str(e.loc.file)}:${str(e.loc.line)}:${str(e.loc.column)}`);
  return lines.join("\n");
}

/** Lower-cased text the search box matches against. */
export function haystack(e: TraceEvent): string {
  return [e.seq, e.kind, e.from, e.to, e.mailbox, e.payload, e.state, e.fault, e.detail].map(str).join("\u0000").toLowerCase();
}
