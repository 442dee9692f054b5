// A class whose base comes from a package the analysis cannot read: `this.start()` is not found,
// and the object was built with the context, so after it the protocol state cannot be told and
// the analysis stays silent (the wait below would otherwise look wrong).
import { defineDriver, type DriverContext } from "active-driver";
import { VendorDriver } from "some-vendor-library";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Driver extends VendorDriver {
  constructor(private readonly d: D) {
    super(d);
  }

  async run(): Promise<void> {
    this.start();
    for (;;) {
      await this.d.wait(this.d.mb.open, this.d.mb.close, this.d.mb.txTimeout);
    }
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  await new Driver(d).run();
});
