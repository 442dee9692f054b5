// A passive driver without state across entry points and without deferred work.
import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  let transmitted = 0;
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
    },
    xmit({ frame }) {
      transmitted++;
      if (frame.length > 0) k.dev.write8(0x38, 0x40);
    },
  };
});
