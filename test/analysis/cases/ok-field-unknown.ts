// Field state the analysis cannot follow: the object holding the phase is handed to code it cannot
// see (which may change its fields), so `phase.current` is unknown there and the switch on it is
// not trusted: silent, where entering the open case in the closed state would report a wrong AD001.
import { defineDriver } from "active-driver";
import { watch } from "some-vendor-library";
import { Ethernet } from "./protocol";

class Phase {
  current: "closed" | "open" = "closed";
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const phase = new Phase();
  watch(phase);
  for (;;) {
    switch (phase.current) {
      case "closed": {
        const r = await d.wait(open, txTimeout);
        if (r.mb === open) {
          d.send(openComplete, { status: 0 });
          phase.current = "open";
        }
        break;
      }
      case "open": {
        const r = await d.wait(close, xmit, txTimeout);
        if (r.mb === close) {
          d.send(closeComplete, { status: 0 });
          phase.current = "closed";
        }
        break;
      }
    }
  }
});
