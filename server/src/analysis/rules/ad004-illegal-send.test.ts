// AD004: a send of an outgoing message the protocol does not allow in the states that can hold
// there. Range: the `send(...)` call.
import { activeDriver, ruleTester } from "../../../../test/analysis/ruleTester";

ruleTester("AD004", {
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
      name: "sends on internal mailboxes are not protocol sends",
      code: activeDriver(`  const done = d.mailbox<number>("done");
  d.send(done, 1);
  const r = await d.wait(d.mb.open, d.mb.txTimeout);
  if (r.mb === d.mb.open) d.send(d.mb.openComplete, { status: 0 });`),
    },
  ],
  invalid: [
    {
      name: "a reply before its request",
      code: activeDriver(`  [|d.send(d.mb.openComplete, { status: 0 })|];
  await d.wait(d.mb.open, d.mb.txTimeout);`),
      errors: [
        {
          message: "openComplete cannot be sent in state 'closed': the protocol allows it only in state 'opening'",
          data: { kind: "illegalSend", message: "openComplete", states: ["closed"], allowedIn: ["opening"] },
        },
      ],
    },
    {
      name: "a reply sent twice: the second finds the state moved on",
      code: activeDriver(`  await d.wait(d.mb.open);
  d.send(d.mb.openComplete, { status: 0 });
  [|d.send(d.mb.openComplete, { status: 1 })|];
  await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);`),
      errors: [
        {
          message: "openComplete cannot be sent in state 'open': the protocol allows it only in state 'opening'",
          data: { kind: "illegalSend", message: "openComplete", states: ["open"], allowedIn: ["opening"] },
        },
      ],
    },
    {
      name: "the destructured send, in a state reached on two paths",
      code: `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async ({ wait, send, mb }) => {
  const r = await wait(mb.open, mb.txTimeout);
  if (r.mb === mb.open) send(mb.openComplete, { status: 0 });
  [|send(mb.closeComplete, { status: 0 })|];
});
`,
      errors: [
        {
          message: "closeComplete cannot be sent in states 'closed' and 'open': the protocol allows it only in state 'closing'",
          data: { states: ["closed", "open"], allowedIn: ["closing"] },
        },
      ],
    },
    {
      name: "a for...of over replies: each message its own finding, in the states it was sent in",
      code: activeDriver(`  await d.wait(d.mb.open, d.mb.txTimeout);
  for (const reply of [d.mb.openComplete, d.mb.closeComplete]) [|d.send(reply, { status: 0 })|];`),
      errors: [
        {
          message: "closeComplete cannot be sent in state 'open': the protocol allows it only in state 'closing'",
          data: { kind: "illegalSend", message: "closeComplete", states: ["open"], allowedIn: ["closing"] },
        },
        {
          message: "openComplete cannot be sent in state 'closed': the protocol allows it only in state 'opening'",
          line: 6,
          column: 64,
          data: { kind: "illegalSend", message: "openComplete", states: ["closed"], allowedIn: ["opening"] },
        },
      ],
    },
  ],
});
