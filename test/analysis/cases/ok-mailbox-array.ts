// The silent twin: the arrays cover every message their state enables (one built from the other by
// a spread); an array something may change (a push) cannot be told, and stays silent.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const always = [txTimeout];
  const closedSet = [open, ...always];
  const openSet = [close, xmit, ...always];
  const grown = [close];
  grown.push(xmit, txTimeout);
  for (;;) {
    const a = await d.wait(...closedSet);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(...openSet);
      if (b.mb !== close) continue;
      break;
    }
    d.send(closeComplete, { status: 0 });
    const c = await d.wait(...closedSet);
    if (c.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(...grown);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
