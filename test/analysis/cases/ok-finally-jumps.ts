// A reply sent in `finally` counts on every way out of the `try`: a labelled break, a continue to an
// outer loop and a return that leave it, as on the fall-through path.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  serve: for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    reset: try {
      if ((d.dev.read8(0x37) & 0x10) === 0) break reset;
      d.dev.write8(0x37, 0x10);
    } finally {
      d.send(openComplete, { status: 0 });
    }
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb !== close) continue;
      try {
        if (d.dev.read8(0x6c) === 0xff) return;
        if (d.dev.read8(0x6c) === 0) continue serve;
        break;
      } finally {
        d.send(closeComplete, { status: 0 });
      }
    }
  }
});
