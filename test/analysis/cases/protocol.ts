// The Ethernet protocol the cases implement (a copy of samples/broken/protocol.ts): no diagnostics.
import { defineProtocol, msg } from "active-driver";

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
