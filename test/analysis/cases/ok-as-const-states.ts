// States as members of an `as const` object, with an early `continue`.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

const S = { closed: "closed", open: "open" } as const;
type S = (typeof S)[keyof typeof S];

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state: S = S.closed;
  while (true) {
    if (state === S.closed) {
      const r = await d.wait(open, txTimeout);
      if (r.mb !== open) continue;
      d.send(openComplete, { status: 0 });
      state = S.open;
      continue;
    }
    const r = await d.wait(close, xmit, txTimeout);
    if (r.mb === close) {
      d.send(closeComplete, { status: 0 });
      state = S.closed;
    }
  }
});
