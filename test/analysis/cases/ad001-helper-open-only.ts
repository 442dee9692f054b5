// The helper of ad001-helper-two-callers reached in the open state only: its AD001 in
// lib/serve-open.ts names that state. With both drivers open in the editor, the helper's file shows
// one finding naming both drivers' states, with every call as related information.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { awaitWatchdog } from "./lib/serve-open";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      await awaitWatchdog(d);
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
