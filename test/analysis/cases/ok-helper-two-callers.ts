// The silent twin: helpers in another file reached from several calls, each in a state where the
// helper's wait accepts every enabled message.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { nextRequest, serveOpen } from "./lib/serve-open";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await nextRequest(d);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await serveOpen(d);
    d.send(d.mb.closeComplete, { status: 0 });
    const b = await nextRequest(d);
    if (b.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await serveOpen(d);
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
