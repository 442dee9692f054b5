// AD001 in a spawned thread that speaks the protocol while main only starts it: the control
// thread's open loop forgets txTimeout.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, (d) => {
  d.spawn("control", async (c) => {
    const { open, close, xmit, txTimeout, openComplete, closeComplete } = c.mb;
    for (;;) {
      const a = await c.wait(open, txTimeout);
      if (a.mb !== open) continue;
      c.send(openComplete, { status: 0 });
      for (;;) {
        const b = await c.wait(close, xmit); //~ AD001
        if (b.mb === close) break;
      }
      c.send(closeComplete, { status: 0 });
    }
  });
});
