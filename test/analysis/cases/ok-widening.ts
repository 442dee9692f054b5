// Seven booleans toggled by frame contents: 128 combinations at the loop head. The analysis widens
// (forgets them) instead of enumerating, ends, and reports nothing.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    let f1 = false, f2 = false, f3 = false, f4 = false, f5 = false, f6 = false, f7 = false;
    for (;;) {
      const r = await d.wait(close, xmit, txTimeout);
      if (r.mb === close) break;
      if (r.name !== "xmit") continue;
      const x = r.msg.frame[0];
      if (x === 1) f1 = !f1;
      if (x === 2) f2 = !f2;
      if (x === 3) f3 = !f3;
      if (x === 4) f4 = !f4;
      if (x === 5) f5 = !f5;
      if (x === 6) f6 = !f6;
      if (x === 7) f7 = !f7;
      if (f1 && f2 && f3 && f4 && f5 && f6 && f7) d.dev.write8(0x38, 0x40);
    }
    d.send(closeComplete, { status: 0 });
  }
});
