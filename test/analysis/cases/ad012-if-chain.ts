// AD012: one wait for everything, and `isOpen` remembers which requests came before: set by open
// and close, tested when xmit arrives. Sequential code holds this in where it waits.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let isOpen = false; //~ AD012
  for (;;) {
    const r = await d.wait(open, close, xmit, txTimeout);
    if (r.mb === open) {
      d.send(openComplete, { status: 0 });
      isOpen = true;
    } else if (r.mb === close) {
      d.send(closeComplete, { status: 0 });
      isOpen = false;
    } else if (r.mb === xmit) {
      if (isOpen) d.dev.write8(0x38, 0x40);
    }
  }
});
