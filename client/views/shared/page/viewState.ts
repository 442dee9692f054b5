// What each webview keeps across being hidden and shown again, or a window reload (VS Code's
// getState/setState): small, JSON-only, versioned. Pure: no DOM, no VS Code. What comes back from
// getState is read defensively: an older or foreign shape gives `undefined` (start fresh), never a throw.
import type { ProtocolMessage } from "../messages";
import { asHostMessage } from "./host";

export const VIEW_STATE_VERSION = 1;

export interface TrafficViewState {
  v: typeof VIEW_STATE_VERSION;
  view: "traffic";
  /** The filter and search boxes as typed. */
  mailbox: string;
  lane: string;
  query: string;
  /** Seq of the selected event (null: none). */
  selected: number | null;
  /** The selection is the search match the user stepped to (the counter shows "k/n", not "-/n"). */
  onMatch: boolean;
  /** Seq of the first row in view: scrolling is kept by event, not by pixel (filters change rows). */
  top: number | null;
  /** Following the newest event: restores to the end, whatever `top` says. */
  follow: boolean;
  /** Seq of the debugger's event when saved: if the debugger has not moved since, the view does not jump to it. */
  current: number | null;
}

export interface MachineViewState {
  v: typeof VIEW_STATE_VERSION;
  view: "machine";
  /** The protocol last drawn, with its current state: a panel restored after a reload draws it at once. */
  protocol: ProtocolMessage | null;
  scrollTop: number;
  scrollLeft: number;
}

export type ViewState = TrafficViewState | MachineViewState;

/** Limit on restored text (a filter box, a lifeline name): a bigger value is not ours. */
const MAX_TEXT = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= MAX_TEXT ? value : undefined;
}

function seqOrNull(value: unknown): number | null | undefined {
  return value === null || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) ? value : undefined;
}

function offset(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

export function defaultTrafficState(): TrafficViewState {
  return { v: VIEW_STATE_VERSION, view: "traffic", mailbox: "", lane: "", query: "", selected: null, onMatch: false, top: null, follow: true, current: null };
}

/** The traffic view's saved state, or undefined when `raw` is not one (nothing saved, another version, damaged). */
export function readTrafficState(raw: unknown): TrafficViewState | undefined {
  if (!isRecord(raw) || raw.v !== VIEW_STATE_VERSION || raw.view !== "traffic") return undefined;
  const mailbox = text(raw.mailbox);
  const lane = text(raw.lane);
  const query = text(raw.query);
  const selected = seqOrNull(raw.selected);
  const top = seqOrNull(raw.top);
  const current = seqOrNull(raw.current);
  if (mailbox === undefined || lane === undefined || query === undefined || selected === undefined || top === undefined || current === undefined)
    return undefined;
  if (typeof raw.onMatch !== "boolean" || typeof raw.follow !== "boolean") return undefined;
  return { v: VIEW_STATE_VERSION, view: "traffic", mailbox, lane, query, selected, onMatch: raw.onMatch, top, follow: raw.follow, current };
}

/** The machine view's saved state, or undefined. A saved protocol goes through the same shape check as the extension's messages. */
export function readMachineState(raw: unknown): MachineViewState | undefined {
  if (!isRecord(raw) || raw.v !== VIEW_STATE_VERSION || raw.view !== "machine") return undefined;
  const message = raw.protocol === null ? null : asHostMessage(raw.protocol);
  if (message === undefined || (message !== null && message.type !== "protocol")) return undefined;
  return { v: VIEW_STATE_VERSION, view: "machine", protocol: message, scrollTop: offset(raw.scrollTop), scrollLeft: offset(raw.scrollLeft) };
}

/**
 * Wraps a state writer (setState) so that it is called only when the state changed: views save on
 * every scroll and keystroke, and each setState crosses to the extension host.
 */
export function changedOnly<T>(write: (state: T) => void): (state: T) => boolean {
  let last: string | undefined;
  return (state) => {
    const json = JSON.stringify(state);
    if (json === last) return false;
    last = json;
    write(state);
    return true;
  };
}
