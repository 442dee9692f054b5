// Shared protocols and small utilities for the runtime tests.
import { readFileSync } from "node:fs";
import { defineProtocol, msg } from "active-driver";

/** The Ethernet protocol of docs/contracts.md (paper, Figure 3). */
export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: {
    open: msg.in({ reply: "openComplete" }),
    openComplete: msg.out<{ status: number }>(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    xmit: msg.in<{ frame: Uint8Array }>(),
    txTimeout: msg.in(),
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", xmit: "open", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
});

/** A protocol where anything goes in one state: for tests about scheduling, not protocols. */
export const Free = defineProtocol({
  name: "free",
  messages: {
    a: msg.in<number>(),
    b: msg.in<number>(),
    c: msg.in<number>(),
    ping: msg.in<number>({ reply: "pong" }),
    pong: msg.out<number>(),
    note: msg.out<string>(),
  },
  initial: "s",
  states: { s: { a: "s", b: "s", c: "s", ping: "s", pong: "s", note: "s" } },
});

/** 1-based line of the first line in `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found in ${file}`);
  return i + 1;
}

/** Settles after pending microtasks and one macrotask turn. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
