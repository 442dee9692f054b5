// AD003 at the closing brace: a one-shot driver that takes open and finishes without replying.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const a = await d.wait(d.mb.open, d.mb.txTimeout);
  if (a.mb === d.mb.open) d.dev.write8(0x37, 0x0c);
}); //~ AD003
