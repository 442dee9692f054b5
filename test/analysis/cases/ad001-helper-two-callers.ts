// One helper reached from two calls in different protocol states: one AD001 at the helper's wait in
// lib/serve-open.ts that names both states, with each call here (and its state) as related information.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { awaitWatchdog } from "./lib/serve-open";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    await awaitWatchdog(d);
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await awaitWatchdog(d);
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
