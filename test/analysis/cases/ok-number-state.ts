// A numeric phase and a boolean, both tested before the next wait: state variables, not flags.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

const CLOSED = 0;
const OPEN = 1;

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let phase = CLOSED;
  let dirty = false;
  for (;;) {
    if (dirty) {
      d.dev.write8(0x37, 0x10);
      dirty = false;
    }
    if (phase === CLOSED) {
      const r = await d.wait(open, txTimeout);
      if (r.mb === open) {
        d.send(openComplete, { status: 0 });
        phase = OPEN;
      }
    } else if (phase === OPEN) {
      const r = await d.wait(close, xmit, txTimeout);
      if (r.mb === close) {
        d.send(closeComplete, { status: 0 });
        phase = CLOSED;
      } else if (r.mb === txTimeout) {
        dirty = true;
      }
    }
  }
});
