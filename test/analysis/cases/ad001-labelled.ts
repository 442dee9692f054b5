// AD001 reached through `continue outer` from an inner loop: the outer wait misses txTimeout.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  outer: for (;;) {
    await d.wait(open); //~ AD001
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) {
        d.send(closeComplete, { status: 0 });
        continue outer;
      }
    }
  }
});
