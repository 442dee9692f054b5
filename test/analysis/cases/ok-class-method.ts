// A correct driver written as a class: the context is a parameter property, a device helper a
// field built from it in the constructor, and the protocol is spread over methods (a reply helper
// that takes which request it answers, destructured members, an arrow-function field). Every
// method is followed with the object as `this`: the waits see exactly the states they serve.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Hw {
  constructor(private readonly dev: D["dev"]) {}

  reset(): void {
    this.dev.write8(0x37, 0x10);
  }
}

class Driver {
  private readonly hw: Hw;

  constructor(private readonly d: D) {
    this.hw = new Hw(d.dev);
  }

  async run(): Promise<void> {
    for (;;) {
      const r = await this.d.wait(this.d.mb.open, this.d.mb.txTimeout);
      if (r.mb === this.d.mb.open) await this.opened();
    }
  }

  private async opened(): Promise<void> {
    this.hw.reset();
    await this.d.sleep(1);
    this.reply("open");
    await this.serveOpen();
    this.reply("close");
  }

  private reply(to: "open" | "close"): void {
    const { send, mb } = this.d;
    if (to === "open") send(mb.openComplete, { status: 0 });
    else send(mb.closeComplete, { status: 0 });
  }

  private serveOpen = async (): Promise<void> => {
    const { close, xmit, txTimeout } = this.d.mb;
    for (;;) {
      const r = await this.d.wait(close, xmit, txTimeout);
      if (r.mb === close) return;
      if (r.mb === txTimeout) this.hw.reset();
    }
  };
}

export default defineDriver({ protocol: Ethernet }, (d) => new Driver(d).run());
