// AD001: a protocol wait must accept every incoming message enabled in each state that can hold
// there (unless another thread of the domain waits on it). Range: the `wait(...)` call.
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

ruleTester("AD001", {
  valid: [
    { name: "every wait accepts what its state enables", code: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)") },
    {
      name: "inner waits (device, sleep) accept no protocol message",
      code: activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    await d.wait(d.dev.irq);
    await d.sleep(1);
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (s.mb === d.mb.close) {
        d.send(d.mb.closeComplete, { status: 0 });
        break;
      }
    }
  }`),
    },
    {
      name: "a message another thread of the domain waits on is that thread's to cover",
      code: activeDriver(`  d.spawn("watchdog", async () => {
    for (;;) await d.wait(d.mb.txTimeout);
  });
  for (;;) {
    await d.wait(d.mb.open);
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(d.mb.close, d.mb.xmit);
      if (s.mb === d.mb.close) {
        d.send(d.mb.closeComplete, { status: 0 });
        break;
      }
    }
  }`),
    },
  ],
  invalid: [
    {
      name: "one message missing in one state: named with its state, related to the protocol's row",
      code: serve("[|d.wait(d.mb.open)|]", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
      errors: [
        {
          message: "txTimeout can arrive in state 'closed' but this wait does not accept it",
          related: [{ message: "txTimeout is enabled in state 'closed' here", line: 15, file: "protocol.ts" }],
          data: { kind: "missingMessages", messages: ["txTimeout"], states: ["closed"], byState: { closed: ["txTimeout"] }, resultVariable: "r" },
          output: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
      ],
    },
    {
      name: "several messages missing in one state: listed in protocol order",
      code: serve("d.wait(d.mb.open, d.mb.txTimeout)", "[|d.wait(d.mb.close)|]"),
      errors: [
        {
          message: "xmit and txTimeout can arrive in state 'open' but this wait does not accept them",
          related: [
            { message: "xmit is enabled in state 'open' here", line: 17, file: "protocol.ts" },
            { message: "txTimeout is enabled in state 'open' here", line: 17, file: "protocol.ts" },
          ],
          output: serve("d.wait(d.mb.open, d.mb.txTimeout)", "d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout)"),
        },
      ],
    },
    {
      name: "one wait reached in two states: one finding grouping messages by the states they arrive in",
      code: activeDriver(`  const next = () => [|d.wait(d.mb.open, d.mb.close)|];
  for (;;) {
    const a = await next();
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    await next();
    d.send(d.mb.closeComplete, { status: 0 });
  }`),
      errors: [
        {
          message: "txTimeout can arrive in states 'closed' and 'open'; xmit in state 'open': this wait does not accept them",
          related: [
            { message: "txTimeout is enabled in state 'closed' here", line: 15, file: "protocol.ts" },
            { message: "xmit is enabled in state 'open' here", line: 17, file: "protocol.ts" },
            { message: "txTimeout is enabled in state 'open' here", line: 17, file: "protocol.ts" },
          ],
          data: { messages: ["xmit", "txTimeout"], states: ["closed", "open"], byState: { closed: ["txTimeout"], open: ["xmit", "txTimeout"] } },
        },
      ],
    },
    {
      name: "the fix names a mailbox as the code does: a destructured binding in scope",
      code: activeDriver(`  const { open, txTimeout, openComplete, close, closeComplete, xmit } = d.mb;
  for (;;) {
    await [|d.wait(open)|];
    d.send(openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(close, xmit, txTimeout);
      if (s.mb === close) {
        d.send(closeComplete, { status: 0 });
        break;
      }
    }
  }`),
      errors: [
        {
          message: "txTimeout can arrive in state 'closed' but this wait does not accept it",
          related: [{ message: "txTimeout is enabled in state 'closed' here", line: 15, file: "protocol.ts" }],
          data: { mailboxText: { txTimeout: "txTimeout" } },
          output: activeDriver(`  const { open, txTimeout, openComplete, close, closeComplete, xmit } = d.mb;
  for (;;) {
    await d.wait(open, txTimeout);
    d.send(openComplete, { status: 0 });
    for (;;) {
      const s = await d.wait(close, xmit, txTimeout);
      if (s.mb === close) {
        d.send(closeComplete, { status: 0 });
        break;
      }
    }
  }`),
        },
      ],
    },
  ],
});
