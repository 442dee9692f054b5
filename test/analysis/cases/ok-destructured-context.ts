// The context destructured in the parameter list, mailboxes destructured from `mb`.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, send, mb, dev }) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = mb;
  for (;;) {
    const a = await wait(open, txTimeout);
    if (a.mb === txTimeout) continue;
    dev.write8(0x37, 0x0c);
    send(openComplete, { status: 0 });
    for (;;) {
      const b = await wait(close, xmit, txTimeout, dev.irq);
      if (b.mb === close) break;
    }
    send(closeComplete, { status: 0 });
  }
});
