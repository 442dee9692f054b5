// AD013 inside an async helper (reported at the await in the helper), and on Promise.all.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms)); //~ AD013
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    await settle(5);
    await Promise.all([d.sleep(1), d.sleep(2)]); //~ AD013
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
