// AD030: a loop whose exit depends only on device register reads, with no bound. Range: the loop
// keyword.
import { activeDriver, passiveDriver, ruleTester } from "../../../../test/analysis/ruleTester";

/** The driver resets the chip with `reset` after open is received. */
const resetting = (reset: string): string =>
  activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    d.dev.write8(0x37, 0x10);
${reset}
    d.send(d.mb.openComplete, { status: 0 });
    await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
  }`);

const message = "this loop ends only when a device register changes and has no bound: a dead or unplugged device (reads all ones) hangs it";

ruleTester("AD030", {
  valid: [
    { name: "a bounded poll", code: resetting("    for (let i = 0; i < 100 && (d.dev.read8(0x37) & 0x10) !== 0; i++) {}") },
    { name: "a poll that waits for the device's interrupt", code: resetting("    while ((d.dev.read8(0x37) & 0x10) !== 0) await d.wait(d.dev.irq);") },
    {
      name: "a poll that sleeps (the OS can still deliver: a timeout elsewhere)",
      code: resetting("    let n = 0;\n    while ((d.dev.read8(0x37) & 0x10) !== 0 && n++ < 5) await d.sleep(1);"),
    },
  ],
  invalid: [
    {
      name: "while on a register bit",
      code: resetting("    [|while|] ((d.dev.read8(0x37) & 0x10) !== 0) {}"),
      errors: [{ message, data: { kind: "registerPoll" } }],
    },
    {
      name: "do-while, and for(;;) left only by a break on a register",
      code: resetting(`    [|do|] {} while ((d.dev.read8(0x37) & 0x10) !== 0);
    [|for|] (;;) {
      if ((d.dev.read16(0x3e) & 1) !== 0) break;
    }`),
      errors: [{ message }, { message }],
    },
    {
      name: "a poll in a helper of another file: reported there, related to the call here",
      code: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { waitReset } from "./chip";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open);
  waitReset(d);
  d.send(d.mb.openComplete, { status: 0 });
});
`,
      files: {
        "chip.ts": `import type { DriverContext } from "active-driver";
import type { Ethernet } from "./protocol";

export function waitReset(d: DriverContext<typeof Ethernet>): void {
  d.dev.write8(0x37, 0x10);
  [|while|] ((d.dev.read8(0x37) & 0x10) !== 0) {}
}
`,
      },
      errors: [{ message, file: "chip.ts", related: [{ message: "reached from waitReset()", line: 7 }] }],
    },
    {
      name: "a passive driver's poll",
      code: passiveDriver(`  return {
    open() {
      k.dev.write8(0x37, 0x10);
      [|while|] ((k.dev.read8(0x37) & 0x10) !== 0) {}
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    xmit() {},
    txTimeout() {},
  };`),
      errors: [{ message }],
    },
  ],
});
