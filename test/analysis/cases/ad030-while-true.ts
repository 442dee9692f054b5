// AD030: `while (true)` left only by a break on a register bit, and a loop on a status variable.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    while (true) { //~ AD030
      if ((d.dev.read16(0x3e) & 1) !== 0) break;
    }
    let status = d.dev.read8(0x6c);
    while ((status & 2) === 0) { //~ AD030
      status = d.dev.read8(0x6c);
    }
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
