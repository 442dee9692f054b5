// AD010: a passive driver keeps "is the interface up?" in a variable that open and close write and
// txTimeout tests: the sequence open -> txTimeout -> close lives in data, not in code (stack ripping).
import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  let up = false; //~ AD010
  return {
    open() {
      k.dev.write8(0x37, 0x0c);
      up = true;
      return { status: 0 };
    },
    close() {
      k.dev.write8(0x37, 0x00);
      up = false;
      return { status: 0 };
    },
    txTimeout() {
      if (up) k.dev.write8(0x37, 0x10);
    },
    xmit({ frame }) {
      k.dev.write8(0x38, frame.length > 0 ? 0x40 : 0);
    },
  };
});
