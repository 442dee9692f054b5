// Waits on arrays of mailboxes written once and only spread or iterated: `wait(...openSet)` waits
// on exactly the mailboxes listed, so the one left out is found.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const closedSet = [open, txTimeout];
  const openSet = [close, xmit];
  for (const mb of openSet) d.log(mb);
  for (;;) {
    const a = await d.wait(...closedSet);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(...openSet); //~ AD001
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
