// AD001 at one wait (in a helper) reached in two states, each missing something: one diagnostic
// names the messages and the states they can arrive in.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

function next(d: DriverContext<typeof Ethernet>) {
  return d.wait(d.mb.open, d.mb.close); //~ AD001
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await next(d);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await next(d);
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
