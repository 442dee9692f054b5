// Labelled loops: `continue outer` and `break inner` move between the closed and open loops.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  outer: for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb === txTimeout) continue outer;
    d.send(openComplete, { status: 0 });
    inner: for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      switch (b.name) {
        case "close":
          d.send(closeComplete, { status: 0 });
          continue outer;
        case "xmit":
          continue inner;
        default:
          break inner;
      }
    }
    // txTimeout while open: reset and keep serving (the loop above ended on it)
    for (;;) {
      const c = await d.wait(close, xmit, txTimeout);
      if (c.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
