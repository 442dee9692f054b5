// AD001 with the context destructured in the parameter list: txTimeout is forgotten while closed.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, send, mb: { open, close, xmit, txTimeout, openComplete, closeComplete } }) => {
  for (;;) {
    await wait(open); //~ AD001
    send(openComplete, { status: 0 });
    for (;;) {
      const r = await wait(close, xmit, txTimeout);
      if (r.mb === close) break;
    }
    send(closeComplete, { status: 0 });
  }
});
