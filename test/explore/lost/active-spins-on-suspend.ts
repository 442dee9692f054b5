// A copy of samples/rtl8169/active.ts that spins when the OS suspends it while open: the watchdog
// stops the run, so the run reports no schedule of its own. Exploration must still write one that
// replays the hang (the decisions its worker made until it was stopped).
import { defineDriver, type DriverContext } from "active-driver";
import { Intr, Rtl8169 } from "active-driver/nic";
import { ALL_ONES, bringUp, RX_EVENTS, Rtl8169Hw, TX_EVENTS } from "../../../samples/rtl8169/hw";
import { Ethernet, Status } from "../../../samples/rtl8169/protocol";

type Driver = DriverContext<typeof Ethernet>;

/** Hands the frames the NIC received to the OS. */
function deliverReceived(d: Driver, hw: Rtl8169Hw): void {
  for (const frame of hw.receive()) d.send(d.mb.recv, { frame });
}

/** One interrupt: acknowledge what IntrStatus shows, then do that work. False when the card is gone. */
function service(d: Driver, hw: Rtl8169Hw): boolean {
  const status = hw.takeStatus();
  if (status === ALL_ONES) return false;
  if ((status & RX_EVENTS) !== 0) deliverReceived(d, hw);
  if ((status & TX_EVENTS) !== 0) hw.reclaimTx();
  if ((status & Intr.LinkChg) !== 0) d.log(`link ${hw.linkUp() ? "up" : "down"}`);
  if ((status & Intr.SYSErr) !== 0) d.log("PCI system error: a descriptor points outside DMA memory");
  return true; // status 0: a spurious interrupt, nothing to do
}

/** txTimeout while open: keep what arrived, keep what was not sent, reset, carry on. */
async function recover(d: Driver, hw: Rtl8169Hw): Promise<boolean> {
  d.log("transmit timed out: resetting the chip");
  deliverReceived(d, hw);
  hw.salvageTx();
  return bringUp(d, hw);
}

export default defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
  const { open, close, xmit, txTimeout, suspend, resume, unplug } = d.mb;
  const { openComplete, closeComplete, suspendComplete, resumeComplete } = d.mb;
  const hw = new Rtl8169Hw(d.dev);
  let state: "closed" | "open" | "suspended" | "gone" = "closed";

  for (;;) {
    switch (state) {
      case "closed": {
        const r = await d.wait(open, txTimeout, unplug, d.dev.irq);
        if (r.name === "open") {
          const up = await bringUp(d, hw);
          d.send(openComplete, { status: up ? Status.ok : Status.ENODEV });
          state = up ? "open" : "gone";
        } else if (r.name === "unplug") {
          return; // removed while closed: nothing to release
        }
        // txTimeout while closed: nothing to reset (the paper's state 1); irq: a stale one
        break;
      }

      case "open": {
        const r = await d.wait(close, xmit, txTimeout, suspend, unplug, d.dev.irq);
        switch (r.name) {
          case "xmit":
            hw.transmit(r.msg.frame);
            break;
          case "irq":
            if (!service(d, hw)) state = "gone";
            break;
          case "txTimeout":
            if (!(await recover(d, hw))) state = "gone";
            break;
          case "suspend": {
            const present = !hw.isGone();
            for (;;) if (hw.isGone()) break; // BUG: waits for the card to go, without waiting
            if (present) {
              deliverReceived(d, hw);
              hw.stop();
              hw.salvageTx(); // resent after resume
            }
            d.send(suspendComplete, { status: present ? Status.ok : Status.ENODEV });
            state = "suspended";
            break;
          }
          case "close":
            if (!hw.isGone()) {
              deliverReceived(d, hw);
              hw.stop();
            }
            hw.dropTx();
            d.send(closeComplete, { status: Status.ok });
            state = "closed";
            break;
          case "unplug":
            return;
        }
        break;
      }

      case "suspended": {
        const r = await d.wait(resume, unplug, d.dev.irq);
        if (r.name === "resume") {
          const up = await bringUp(d, hw);
          d.send(resumeComplete, { status: up ? Status.ok : Status.ENODEV });
          state = up ? "open" : "gone";
        } else if (r.name === "unplug") {
          return;
        }
        break;
      }

      case "gone": {
        // The card reads all ones. Frames go nowhere; requests get ENODEV until the OS's unplug.
        const r = await d.wait(close, xmit, txTimeout, suspend, unplug, d.dev.irq);
        if (r.name === "close") {
          hw.dropTx();
          d.send(closeComplete, { status: Status.ok });
          state = "closed";
        } else if (r.name === "suspend") {
          d.send(suspendComplete, { status: Status.ENODEV });
          state = "suspended";
        } else if (r.name === "unplug") {
          hw.dropTx();
          return;
        }
        break;
      }
    }
  }
});
