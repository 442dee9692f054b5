// AD010: a passive driver's variable or field written in one entry point and tested in another's
// control flow. Range: the declaration; related: where it is written and where it is tested.
import { passiveDriver, ruleTester } from "../../../../test/analysis/ruleTester";

ruleTester("AD010", {
  valid: [
    passiveDriver(`  return {
    open() {
      k.dev.write8(0x37, 0x0c);
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit({ frame }) {
      k.dev.write8(0x38, frame.length > 0 ? 0x40 : 0);
    },
    txTimeout() {},
  };`),
    {
      name: "a counter written in one entry point and never tested",
      code: passiveDriver(`  let sent = 0;
  return {
    open() {
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit() {
      sent++;
      k.dev.write8(0x38, 0x40);
    },
    txTimeout() {
      k.log(sent);
    },
  };`),
    },
    {
      name: "a variable written and tested in the same entry point",
      code: passiveDriver(`  let busy = false;
  return {
    open() {
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit() {
      busy = true;
      if (busy) k.dev.write8(0x38, 0x40);
      busy = false;
    },
    txTimeout() {},
  };`),
    },
  ],
  invalid: [
    {
      name: "a variable written by open and tested by xmit",
      code: passiveDriver(`  let [|running = false|];
  return {
    open() {
      running = true;
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit() {
      if (running) k.dev.write8(0x38, 0x40);
    },
    txTimeout() {},
  };`),
      errors: [
        {
          message: "'running' is written in open and tested in xmit: state carried across entry points (stack ripping)",
          related: [
            { message: "written in open", line: 8 },
            { message: "tested in xmit", line: 15 },
          ],
          data: { kind: "rippedState", variable: "running", writtenIn: ["open"], testedIn: ["xmit"] },
        },
      ],
    },
    {
      name: "a field of an object, written in two entry points",
      code: passiveDriver(`  const link = {
    [|up: false|],
  };
  return {
    open() {
      link.up = true;
      return { status: 0 };
    },
    close() {
      link.up = false;
      return { status: 0 };
    },
    xmit() {
      if (link.up) k.dev.write8(0x38, 0x40);
    },
    txTimeout() {},
  };`),
      errors: [
        {
          message: "'link.up' is written in open and close and tested in xmit: state carried across entry points (stack ripping)",
          related: [
            { message: "written in open", line: 10 },
            { message: "tested in xmit", line: 18 },
          ],
          data: { writtenIn: ["open", "close"], testedIn: ["xmit"] },
        },
      ],
    },
  ],
});
