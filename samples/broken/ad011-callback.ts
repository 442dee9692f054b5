// AD011: txTimeout runs in interrupt context and must not block, so it finishes the reset later in
// a timer callback: one operation split across two threads that can race with close.
import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  return {
    open() {
      k.dev.write8(0x37, 0x0c);
      return { status: 0 };
    },
    close() {
      k.dev.write8(0x37, 0x00);
      return { status: 0 };
    },
    txTimeout() {
      k.dev.write8(0x37, 0x10);
      setTimeout(() => k.dev.write8(0x37, 0x0c), 10); //~ AD011
    },
    xmit() {
      k.dev.write8(0x38, 0x40);
    },
  };
});
