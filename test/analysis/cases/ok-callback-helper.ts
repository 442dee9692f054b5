// A local helper that calls back: the callback passed in is inlined where the helper calls it.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

function withDevice(reset: boolean, then: () => void): void {
  if (reset) then();
  else then();
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    withDevice(true, () => d.send(openComplete, { status: 0 }));
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    withDevice(false, () => d.send(closeComplete, { status: 0 }));
  }
});
