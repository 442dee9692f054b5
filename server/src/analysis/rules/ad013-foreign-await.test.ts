// AD013: active driver code awaits something other than wait, sleep or an analysable driver helper.
// Range: the `await` expression.
import { activeDriver, ruleTester } from "../../../../test/analysis/ruleTester";

const opened = (more: string): string =>
  activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    ${more}
    d.send(d.mb.openComplete, { status: 0 });
    await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
  }`);

ruleTester("AD013", {
  valid: [
    opened("await d.sleep(5);"),
    {
      name: "an async helper of the driver",
      code: activeDriver(`  async function settle(): Promise<void> {
    await d.sleep(1);
    await d.wait(d.dev.irq);
  }
  for (;;) {
    await d.wait(d.mb.open, d.mb.txTimeout);
    await settle();
  }`),
    },
    { name: "a helper returning a driver promise", code: activeDriver(`  const irq = () => d.wait(d.dev.irq);\n  await irq();`) },
  ],
  invalid: [
    {
      name: "a timer promise",
      code: opened("[|await new Promise((resolve) => setTimeout(resolve, 5))|];"),
      errors: [
        {
          message:
            "awaiting 'new Promise(...)' is not a wait, a sleep or an analysable driver helper: other threads of the domain can run in the middle of this handler",
          data: { kind: "foreignAwait", awaited: "new Promise(...)" },
        },
      ],
    },
    {
      name: "a call outside the driver, and a promise held in a variable",
      code: opened(`const p = Promise.resolve(1);
    [|await fetch("http://example.test/")|];
    [|await p|];`),
      errors: [
        {
          message:
            "awaiting 'fetch(...)' is not a wait, a sleep or an analysable driver helper: other threads of the domain can run in the middle of this handler",
          data: { awaited: "fetch(...)" },
        },
        {
          message: "awaiting 'p' is not a wait, a sleep or an analysable driver helper: other threads of the domain can run in the middle of this handler",
          data: { awaited: "p" },
        },
      ],
    },
  ],
});
