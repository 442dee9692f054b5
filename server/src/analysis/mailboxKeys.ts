// Mailbox keys: which mailbox a denotation (`mbx:<key>`) or a value (`m:<key>`, `r:<key>`) is about.
// A key is a short string, so values and states that embed it compare and hash as strings:
// `p:<message>` (a protocol mailbox, `d.mb.open`), `d:irq` (the device's interrupt mailbox),
// `i:<name>` (an internal mailbox, `d.mailbox("work")`) or `?` (a mailbox the analysis cannot
// tell). Only this module builds or reads the prefixes.
import type { Protocol } from "./protocol";
import type { MailboxKind } from "./types";

export type ProtocolMailbox = `p:${string}`;
export type DeviceMailbox = "d:irq";
export type InternalMailbox = `i:${string}`;
export type UnknownMailbox = "?";
export type KnownMailbox = ProtocolMailbox | DeviceMailbox | InternalMailbox;
export type MailboxKey = KnownMailbox | UnknownMailbox;

/** A mailbox the analysis cannot tell (`d.mailbox(name)` of a computed name, `d.mb[x]`). */
export const UNKNOWN_MAILBOX: UnknownMailbox = "?";
/** The device's interrupt mailbox, `d.dev.irq`. */
export const DEVICE_IRQ: DeviceMailbox = "d:irq";

/** The mailbox of a protocol message, `d.mb.<message>`. */
export function protocolMailbox(message: string): ProtocolMailbox {
  return `p:${message}`;
}

/** The mailbox `d.mailbox(name)` makes. */
export function internalMailbox(name: string): InternalMailbox {
  return `i:${name}`;
}

export function isUnknownMailbox(key: MailboxKey | undefined): key is UnknownMailbox {
  return key === UNKNOWN_MAILBOX;
}

/** The protocol message a mailbox key names (`p:open` -> `open`); undefined for a device, internal or unknown mailbox. */
export function protocolMessage(key: MailboxKey | undefined): string | undefined {
  return key !== undefined && key.startsWith("p:") ? key.slice(2) : undefined;
}

/** The name a mailbox key carries at run time (`r.name`); `?` for an unknown mailbox. */
export function mailboxName(key: MailboxKey): string {
  return key === UNKNOWN_MAILBOX ? "?" : key.slice(2);
}

/** What a mailbox is for the editor: a protocol message in or out, the device's, an internal one. */
export function mailboxKind(key: MailboxKey, protocol: Pick<Protocol, "isIncoming" | "isOutgoing"> | undefined): MailboxKind {
  const message = protocolMessage(key);
  if (message !== undefined) {
    if (protocol === undefined) return "unknown";
    return protocol.isIncoming(message) ? "in" : protocol.isOutgoing(message) ? "out" : "unknown";
  }
  if (key.startsWith("d:")) return "device";
  if (key.startsWith("i:")) return "internal";
  return "unknown";
}
