// The open-state loop lives in a helper in another file; the request comes from a helper too.
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
  }
});
