// AD001 inside a helper in another file: reported at the helper's wait in lib/serve-open.ts, with
// the call here (and the state there) as related information.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { serveOpenForgetful } from "./lib/serve-open";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await serveOpenForgetful(d);
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
