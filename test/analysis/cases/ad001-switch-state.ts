// AD001 in the open case of a state switch: txTimeout is forgotten while open.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state = "closed";
  for (;;) {
    switch (state) {
      case "closed": {
        const r = await d.wait(open, txTimeout);
        if (r.mb === open) {
          d.send(openComplete, { status: 0 });
          state = "open";
        }
        break;
      }
      case "open": {
        const r = await d.wait(close, xmit); //~ AD001
        if (r.mb === close) {
          d.send(closeComplete, { status: 0 });
          state = "closed";
        }
        break;
      }
    }
  }
});
