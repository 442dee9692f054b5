// The context reaches the object through a method (`attach`), not its constructor: what the field
// holds cannot be told from the class, so `this.d.wait(...)` stays opaque. The object holds the
// driver, so after such a call the protocol state is unknown and the analysis silent (the wait
// below would otherwise look wrong: the handshake moved the protocol to the open state).
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Link {
  private d?: D;

  attach(d: D): void {
    this.d = d;
  }

  async handshake(): Promise<void> {
    await this.d!.wait(this.d!.mb.open);
    this.d!.send(this.d!.mb.openComplete, { status: 0 });
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const link = new Link();
  link.attach(d);
  await link.handshake();
  for (;;) {
    const r = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
    if (r.mb === d.mb.close) {
      d.send(d.mb.closeComplete, { status: 0 });
      await link.handshake();
    }
  }
});
