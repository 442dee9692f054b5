// Threads that share a field: the worker sets `this.phase` before it signals main, so the value
// main set before its wait is stale after it. A field (or variable) another thread assigns is
// unknown after every wait: silent, where trusting the stale "closed" would report a wrong AD001
// (the closed case's wait, entered in the open state).
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Driver {
  private phase: "closed" | "open" = "closed";
  private readonly go = this.d.mailbox<void, "go">("go");
  private readonly up = this.d.mailbox<void, "up">("up");

  constructor(private readonly d: D) {}

  async run(): Promise<void> {
    const { open, close, xmit, txTimeout, openComplete, closeComplete } = this.d.mb;
    this.d.spawn("worker", (t) => this.worker(t));
    for (;;) {
      switch (this.phase) {
        case "closed": {
          const r = await this.d.wait(open, txTimeout);
          if (r.mb === open) {
            this.d.send(this.go, undefined);
            await this.d.wait(this.up);
            this.d.send(openComplete, { status: 0 });
          }
          break;
        }
        case "open": {
          const r = await this.d.wait(close, xmit, txTimeout);
          if (r.mb === close) {
            this.d.send(closeComplete, { status: 0 });
            this.phase = "closed";
          }
          break;
        }
      }
    }
  }

  private async worker(t: D): Promise<void> {
    for (;;) {
      await t.wait(this.go);
      t.dev.write8(0x37, 0x0c);
      this.phase = "open";
      t.send(this.up, undefined);
    }
  }
}

export default defineDriver({ protocol: Ethernet }, (d) => new Driver(d).run());
