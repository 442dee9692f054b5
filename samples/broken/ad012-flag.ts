// AD012: `resetting` is set when txTimeout arrives and tested when the next interrupt arrives: a
// flag that carries control flow across waits. Sequential code can hold it instead: after the
// reset, wait for the interrupt right there (`await d.wait(d.dev.irq)`).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    let resetting = false; //~ AD012
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout, d.dev.irq);
      if (b.mb === close) break;
      if (b.mb === txTimeout) {
        d.dev.write8(0x37, 0x10);
        resetting = true;
      } else if (b.mb === d.dev.irq) {
        if (resetting) {
          d.dev.write8(0x37, 0x0c);
          resetting = false;
        }
      } else {
        d.dev.write8(0x38, 0x40);
      }
    }
    d.send(closeComplete, { status: 0 });
  }
});
