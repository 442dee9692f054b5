// Methods of a class imported from another file are followed: `s.closed()` sends closeComplete
// while the driver is open and close has not come (reported at the send in lib/session.ts, with
// the call here as related information).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { Session } from "./lib/session";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const s = new Session(d);
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    s.opened();
    s.closed();
    await s.serveOpen();
    s.closed();
  }
});
