// A passive driver written as a class without state carried across entry points: each field is
// written and tested by one entry point only (or only counted), and no entry point defers its work.
import { definePassiveDriver, type PassiveKernel } from "active-driver";
import { Ethernet } from "./protocol";

class Nic {
  private transmitted = 0;
  private resets = 0;

  constructor(private readonly k: PassiveKernel<typeof Ethernet>) {}

  open() {
    this.k.dev.write8(0x37, 0x0c);
    return { status: 0 };
  }

  close() {
    this.k.dev.write8(0x37, 0x00);
    return { status: 0 };
  }

  txTimeout() {
    this.resets++;
    if (this.resets > 3) this.k.dev.write8(0x37, 0x10);
  }

  xmit({ frame }: { frame: Uint8Array }) {
    this.transmitted++;
    if (frame.length > 0) this.k.dev.write8(0x38, 0x40);
  }
}

export default definePassiveDriver({ protocol: Ethernet }, (k) => new Nic(k));
