// AD011: a passive driver's entry point continues its own work in a callback. Range: the call.
import { passiveDriver, ruleTester } from "../../../../test/analysis/ruleTester";

const entryPoints = (txTimeout: string): string =>
  passiveDriver(`  return {
    open() {
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit() {},
    txTimeout() {
      ${txTimeout};
    },
  };`);

ruleTester("AD011", {
  valid: [
    entryPoints("k.dev.write8(0x37, 0x10)"),
    { name: "a call with a callback that is not a continuation", code: entryPoints("[1, 2].forEach((r) => k.dev.write8(0x37, r))") },
    { name: "a call with no callback", code: entryPoints("k.log(Promise.resolve(1))") },
  ],
  invalid: [
    {
      name: "k.schedule",
      code: entryPoints("[|k.schedule(() => k.dev.write8(0x37, 0x10))|]"),
      errors: [
        {
          message: "txTimeout continues its work in a callback (k.schedule): the rest runs later, on another thread, and must re-check what changed meanwhile",
          data: { kind: "callbackContinuation", entryPoint: "txTimeout", callee: "k.schedule" },
        },
      ],
    },
    {
      name: "a timer",
      code: entryPoints("[|setTimeout(() => k.dev.write8(0x37, 0x10), 10)|]"),
      errors: [
        {
          message: "txTimeout continues its work in a callback (setTimeout): the rest runs later, on another thread, and must re-check what changed meanwhile",
          data: { callee: "setTimeout" },
        },
      ],
    },
    {
      name: "a promise continuation",
      code: entryPoints(`[|k.lock("rtnl").then(() => k.unlock("rtnl"))|]`),
      errors: [
        {
          message: "txTimeout continues its work in a callback (.then): the rest runs later, on another thread, and must re-check what changed meanwhile",
          data: { callee: ".then" },
        },
      ],
    },
  ],
});
