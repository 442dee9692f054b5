// Handlers kept in a table indexed by the message name, and a helper object built with the
// context: both are followed (the entry each message picks, a missing one skipped by `?.()`; the
// object's method). Correct: no findings.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Nic {
  constructor(private readonly d: D) {}
  async reset(): Promise<void> {
    await this.d.sleep(1);
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const nic = new Nic(d);
  const handlers: Record<string, () => void> = {
    open: () => d.send(openComplete, { status: 0 }),
    close: () => d.send(closeComplete, { status: 0 }),
  };
  for (;;) {
    const r = await d.wait(open, close, xmit, txTimeout);
    handlers[r.name]?.();
    if (r.mb === txTimeout) await nic.reset();
  }
});
