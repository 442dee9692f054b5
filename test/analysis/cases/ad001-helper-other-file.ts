// AD001 inside a helper in another file: reported at the call that reaches it from this file.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { serveOpenForgetful } from "./lib/serve-open";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await serveOpenForgetful(d); //~ AD001
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
