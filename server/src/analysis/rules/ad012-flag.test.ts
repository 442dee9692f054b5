// AD012: an active driver's flag set in one message's handler and tested in another's after a
// later wait. Range: the declaration.
import { activeDriver, ruleTester } from "../../../../test/analysis/ruleTester";

/** Serves open/close; in state open, `handle` runs after each wait whose result is `s`. */
function serving(declarations: string, handle: string): string {
  return activeDriver(`  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    ${declarations}
    for (;;) {
      const s = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
${handle}
      if (s.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }`);
}

ruleTester("AD012", {
  valid: [
    {
      name: "a variable set and tested in the same message's handler",
      code: serving(
        "let frames = 0;",
        `      if (s.mb === d.mb.xmit) {
        frames++;
        if (frames > 10) frames = 0;
      }`,
      ),
    },
    {
      name: "a state variable tested before the next wait (a loop condition) is not a flag",
      code: activeDriver(`  let state: "closed" | "open" = "closed";
  for (;;) {
    if (state === "closed") {
      const r = await d.wait(d.mb.open, d.mb.txTimeout);
      if (r.mb === d.mb.open) {
        d.send(d.mb.openComplete, { status: 0 });
        state = "open";
      }
    } else {
      const s = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (s.mb === d.mb.close) {
        d.send(d.mb.closeComplete, { status: 0 });
        state = "closed";
      }
    }
  }`),
    },
  ],
  invalid: [
    {
      name: "set when xmit arrives, tested when txTimeout arrives",
      code: serving(
        "let [|pending = false|];",
        `      if (s.mb === d.mb.xmit) pending = true;
      if (s.mb === d.mb.txTimeout) {
        if (pending) pending = false;
      }`,
      ),
      errors: [
        {
          message:
            "'pending' is set when xmit arrives and tested when txTimeout arrives: a flag carrying control flow across waits that sequential code can hold",
          data: { kind: "flagVariable", variable: "pending", setIn: ["xmit"], testedIn: ["txTimeout"] },
        },
      ],
    },
    {
      name: "a switch on the message name, set in two handlers",
      code: serving(
        "let [|seen = 0|];",
        `      switch (s.name) {
        case "xmit":
        case "close":
          seen = 1;
          break;
        case "txTimeout":
          if (seen > 0) seen = 0;
          break;
      }`,
      ),
      errors: [
        {
          message:
            "'seen' is set when close or xmit arrives and tested when txTimeout arrives: a flag carrying control flow across waits that sequential code can hold",
          data: { setIn: ["close", "xmit"], testedIn: ["txTimeout"] },
        },
      ],
    },
  ],
});
