// A driver written as a class: the context is a parameter property and the protocol loop lives in
// methods. The analysis follows `new Driver(d).run()` and `this.serveOpen()`: the wait in the open
// state forgets txTimeout.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Driver {
  constructor(private readonly d: D) {}

  async run(): Promise<void> {
    const { open, txTimeout, openComplete, closeComplete } = this.d.mb;
    for (;;) {
      const r = await this.d.wait(open, txTimeout);
      if (r.mb !== open) continue;
      this.d.send(openComplete, { status: 0 });
      await this.serveOpen();
      this.d.send(closeComplete, { status: 0 });
    }
  }

  private async serveOpen(): Promise<void> {
    for (;;) {
      const r = await this.d.wait(this.d.mb.close, this.d.mb.xmit); //~ AD001
      if (r.name === "close") return;
    }
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  await new Driver(d).run();
});
