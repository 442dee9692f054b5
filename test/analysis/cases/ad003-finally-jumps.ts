// The same driver with `finally` blocks that do not reply: the labelled break, the continue and the
// return that leave the `try` owe the reply (the finally runs on them and sends nothing).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  serve: for (;;) {
    const a = await d.wait(open, txTimeout); //~ AD003
    if (a.mb !== open) continue;
    reset: try {
      if ((d.dev.read8(0x37) & 0x10) === 0) break reset;
      d.dev.write8(0x37, 0x10);
      d.send(openComplete, { status: 0 });
    } finally {
      d.log("open handled");
    }
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout); //~ AD003
      if (b.mb !== close) continue;
      try {
        if (d.dev.read8(0x6c) === 0xff) return; //~ AD003
        if (d.dev.read8(0x6c) === 0) continue serve;
        d.send(closeComplete, { status: 0 });
        break;
      } finally {
        d.log("close handled");
      }
    }
  }
});
