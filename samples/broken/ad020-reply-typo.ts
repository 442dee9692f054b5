// AD020: a typo in the protocol: open's reply is named "opened", which is not a message. The types
// accept any string there; the OS would wait for a reply that no mailbox can carry.
import { defineDriver, defineProtocol, msg } from "active-driver";

export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: {
    open: msg.in({ reply: "opened" }), //~ AD020
    openComplete: msg.out<{ status: number }>(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    txTimeout: msg.in(),
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
});

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
