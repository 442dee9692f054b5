// AD003: a request's reply is owed when the driver makes a protocol wait or its thread ends.
// Range: the `wait(...)` call, or the `return`/the end of the thread; the fix sends the reply.
import { activeDriver, ruleTester } from "../../../../test/analysis/ruleTester";

ruleTester("AD003", {
  valid: [
    activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (s.mb === d.mb.close) {
        d.send(d.mb.closeComplete, { status: 0 });
        break;
      }
    }
  }`),
    {
      name: "an inner wait (the device, a sleep) while a reply is owed",
      code: activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    await d.wait(d.dev.irq);
    await d.sleep(10);
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (s.mb !== d.mb.close) continue;
      await d.wait(d.dev.irq);
      d.send(d.mb.closeComplete, { status: 0 });
      break;
    }
  }`),
    },
    {
      name: "a thread that ends, or returns, with no reply owed",
      code: activeDriver(`  const r = await d.wait(d.mb.open, d.mb.txTimeout);
  if (r.mb !== d.mb.open) return;
  d.send(d.mb.openComplete, { status: 0 });`),
    },
  ],
  invalid: [
    {
      name: "a protocol wait before the reply: the fix sends it just before the wait's statement",
      code: activeDriver(`  await d.wait(d.mb.open);
  await [|d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)|];`),
      errors: [
        {
          message: "openComplete (the reply to open) is still owed in state 'opening', but the driver waits for new requests",
          data: {
            kind: "owedReply",
            reply: "openComplete",
            requests: ["open"],
            states: ["opening"],
            at: "wait",
            sendText: "d.send(d.mb.openComplete, { status: 0 });",
          },
          output: activeDriver(`  await d.wait(d.mb.open);
  d.send(d.mb.openComplete, { status: 0 });
  await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);`),
        },
      ],
    },
    {
      name: "the thread ends owing the reply: the range is the closing brace, the fix sends it there",
      code: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, send, mb, dev }) => {
  await wait(mb.open);
  await wait(dev.irq);
[|}|]);
`,
      errors: [
        {
          message: "openComplete (the reply to open) is still owed in state 'opening', but the thread ends",
          data: { at: "threadEnd", sendText: "send(mb.openComplete, { status: 0 });" },
          output: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, send, mb, dev }) => {
  await wait(mb.open);
  await wait(dev.irq);
  send(mb.openComplete, { status: 0 });
});
`,
        },
      ],
    },
    {
      name: "a context destructured without send: the fix adds send to the pattern, then calls it",
      code: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, mb, dev }) => {
  await wait(mb.open);
  await wait(dev.irq);
[|}|]);
`,
      errors: [
        {
          message: "openComplete (the reply to open) is still owed in state 'opening', but the thread ends",
          data: { at: "threadEnd", sendText: "send(mb.openComplete, { status: 0 });" },
          output: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, mb, dev, send }) => {
  await wait(mb.open);
  await wait(dev.irq);
  send(mb.openComplete, { status: 0 });
});
`,
        },
      ],
    },
    {
      name: "a return owing the reply",
      code: activeDriver(`  const r = await d.wait(d.mb.open, d.mb.txTimeout);
  if (r.mb !== d.mb.open) return;
  if (d.dev.read8(0x37) === 0xff) [|return;|]
  d.send(d.mb.openComplete, { status: 0 });`),
      errors: [
        {
          message: "openComplete (the reply to open) is still owed in state 'opening', but the thread ends",
          data: { at: "threadEnd", states: ["opening"], sendText: "d.send(d.mb.openComplete, { status: 0 });" },
        },
      ],
    },
  ],
});
