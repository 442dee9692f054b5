// AD030 in a passive driver: the open entry point spins on a register read through a method of
// the hardware class (built from k.dev); txTimeout bounds the same poll.
import { definePassiveDriver } from "active-driver";
import { Chip } from "./lib/chip";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  const hw = new Chip(k.dev);
  return {
    open() {
      hw.startReset();
      while (hw.resetPending()) { //~ AD030
        k.dev.write8(0x37, 0x10);
      }
      return { status: 0 };
    },
    close() {
      k.dev.write8(0x37, 0x00);
      return { status: 0 };
    },
    txTimeout() {
      hw.startReset();
      for (let i = 0; i < 100 && hw.resetPending(); i++) k.dev.write8(0x37, 0x10);
    },
    xmit() {
      k.dev.write8(0x38, 0x40);
    },
  };
});
