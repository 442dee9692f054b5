// A class driver that keeps its protocol state in a field: `switch (this.state)` in a loop, the
// field set in the handlers and through a setter method. Fields that steer control flow are
// tracked like local variables, so each case of the switch sees only its own state: no findings.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Driver {
  private state: "closed" | "open" = "closed";
  private frames = 0;

  constructor(private readonly d: D) {}

  async run(): Promise<void> {
    const { open, close, xmit, txTimeout, openComplete, closeComplete } = this.d.mb;
    for (;;) {
      switch (this.state) {
        case "closed": {
          const r = await this.d.wait(open, txTimeout);
          if (r.mb === open) {
            this.d.send(openComplete, { status: 0 });
            this.enter("open");
          }
          break;
        }
        case "open": {
          const r = await this.d.wait(close, xmit, txTimeout);
          if (r.name === "xmit") this.frames++;
          if (r.name === "close") {
            this.d.send(closeComplete, { status: 0 });
            this.state = "closed";
          }
          break;
        }
      }
    }
  }

  private enter(next: "closed" | "open"): void {
    this.state = next;
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const driver = new Driver(d);
  await driver.run();
});
