// AD002: a wait includes a protocol mailbox whose message is enabled in no state that can hold
// there, or an outgoing one. Range: that argument; the fix removes it with its comma.
import { activeDriver, ruleTester } from "../../../../test/analysis/ruleTester";

/** Serves open/close forever; `first` and `second` are the waits in states closed and open. */
function serve(first: string, second: string): string {
  return activeDriver(`  for (;;) {
    const r = await ${first};
    if (r.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const s = await ${second};
      if (s.mb === d.mb.close) {
        d.send(d.mb.closeComplete, { status: 0 });
        break;
      }
    }
  }`);
}

ruleTester("AD002", {
  valid: [
    {
      name: "each mailbox can deliver in the state of its wait",
      code: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
    },
    {
      name: "device and internal mailboxes are not protocol mailboxes",
      code: serve("d.wait(d.mb.open, d.mb.txTimeout, d.dev.irq)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout, d.dev.irq)"),
    },
    {
      name: "a mailbox that can deliver in one of the states reaching the wait",
      code: activeDriver(`  const next = () => d.wait(d.mb.open, d.mb.close, d.mb.xmit, d.mb.txTimeout);
  for (;;) {
    const a = await next();
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await next();
    d.send(d.mb.closeComplete, { status: 0 });
  }`),
    },
  ],
  invalid: [
    {
      name: "an incoming message not enabled in the only state: the fix removes it and the comma after it",
      code: serve("d.wait(d.mb.open, [|d.mb.xmit|], d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
      errors: [
        {
          message: "xmit cannot arrive in state 'closed' (the only state that can hold here): this mailbox never delivers at this wait",
          data: { kind: "deadMailbox", message: "xmit", states: ["closed"] },
          output: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
      ],
    },
    {
      name: "an outgoing message as the last argument: the fix removes it and the comma before it",
      code: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout, [|d.mb.closeComplete|])"),
      errors: [
        {
          message: "closeComplete is an outgoing message: waiting on it never delivers anything",
          data: { kind: "deadMailbox", message: "closeComplete", states: ["open"] },
          output: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
      ],
    },
    {
      name: "two dead mailboxes of one wait: one finding each, in order",
      code: serve("d.wait([|d.mb.close|], d.mb.open, d.mb.txTimeout, [|d.mb.openComplete|])", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
      errors: [
        {
          message: "close cannot arrive in state 'closed' (the only state that can hold here): this mailbox never delivers at this wait",
          output: serve("d.wait(d.mb.open, d.mb.txTimeout, d.mb.openComplete)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
        {
          message: "openComplete is an outgoing message: waiting on it never delivers anything",
          output: serve("d.wait(d.mb.close, d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
      ],
    },
  ],
});
