// A passive driver written as a class: its entry points are methods and its state lives in fields.
// `linkUp` is written in open and tested in xmit (AD010 at the field's declaration, as for a
// closure variable); txTimeout finishes its reset in a callback (AD011), through the kernel kept in
// a field and through a timer.
import { definePassiveDriver, type PassiveKernel } from "active-driver";
import { Ethernet } from "./protocol";

class Nic {
  private linkUp = false; //~ AD010
  private resets = 0;

  constructor(private readonly k: PassiveKernel<typeof Ethernet>) {}

  open() {
    this.k.dev.write8(0x37, 0x0c);
    this.linkUp = true;
    return { status: 0 };
  }

  close() {
    this.k.dev.write8(0x37, 0x00);
    return { status: 0 };
  }

  txTimeout() {
    this.resets++;
    this.k.schedule(() => this.k.dev.write8(0x37, 0x0c)); //~ AD011
    setTimeout(() => this.restart(), 10); //~ AD011
  }

  xmit() {
    if (this.linkUp) this.k.dev.write8(0x38, 0x40);
  }

  private restart() {
    this.k.dev.write8(0x37, 0x0c);
  }
}

export default definePassiveDriver({ protocol: Ethernet }, (k) => new Nic(k));
