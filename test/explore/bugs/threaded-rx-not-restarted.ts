// A copy of samples/rtl8169/threaded.ts with one bug: after the reset that txTimeout asks for, main
// restarts the TX thread only; the RX thread stays paused, so the RX ring fills and the NIC drops
// every later frame (no descriptor).
import { defineDriver, type DriverContext, type InternalMailbox } from "active-driver";
import { Intr, Rtl8169 } from "active-driver/nic";
import { ALL_ONES, bringUp, RX_EVENTS, Rtl8169Hw, TX_EVENTS } from "../../../samples/rtl8169/hw";
import { Ethernet, Status } from "../../../samples/rtl8169/protocol";

type Driver = DriverContext<typeof Ethernet>;

/** What main tells a ring thread: run, stop and keep unsent frames (reset, suspend), stop and forget them (close), end (unplug). */
type Order = "go" | "hold" | "drop" | "exit";

interface Lanes {
  /** main -> tx: frames from the OS. */
  frames: InternalMailbox<{ frame: Uint8Array }, "frames">;
  /** main -> tx: the NIC handed TX descriptors back. */
  txDone: InternalMailbox<void, "txDone">;
  /** main -> rx: frames are waiting in the RX ring. */
  rxReady: InternalMailbox<void, "rxReady">;
  txOrders: InternalMailbox<Order, "txOrders">;
  rxOrders: InternalMailbox<Order, "rxOrders">;
  /** ring thread -> main: an order other than "go" was carried out. */
  acks: InternalMailbox<"tx" | "rx", "acks">;
}

/** The TX thread: paused until "go"; then frames and completions until another order. */
async function txThread(d: Driver, hw: Rtl8169Hw, lanes: Lanes): Promise<void> {
  for (;;) {
    const order = await d.wait(lanes.txOrders);
    if (order.msg === "exit") return;
    if (order.msg !== "go") {
      d.send(lanes.acks, "tx"); // already paused: nothing to stop
      continue;
    }
    let running = true;
    while (running) {
      const r = await d.wait(lanes.frames, lanes.txDone, lanes.txOrders);
      if (r.name === "frames") hw.transmit(r.msg.frame);
      else if (r.name === "txDone") hw.reclaimTx();
      else if (r.msg !== "go") {
        if (r.msg === "hold") hw.salvageTx();
        else hw.dropTx();
        d.send(lanes.acks, "tx");
        if (r.msg === "exit") return;
        running = false;
      }
    }
  }
}

/** The RX thread: paused until "go"; then hands received frames to the OS until another order. */
async function rxThread(d: Driver, hw: Rtl8169Hw, lanes: Lanes): Promise<void> {
  for (;;) {
    const order = await d.wait(lanes.rxOrders);
    if (order.msg === "exit") return;
    if (order.msg !== "go") {
      d.send(lanes.acks, "rx");
      continue;
    }
    let running = true;
    while (running) {
      const r = await d.wait(lanes.rxReady, lanes.rxOrders);
      if (r.name === "rxReady" || r.msg !== "go") {
        for (const frame of hw.receive()) d.send(d.mb.recv, { frame });
      }
      if (r.name === "rxOrders" && r.msg !== "go") {
        d.send(lanes.acks, "rx");
        if (r.msg === "exit") return;
        running = false;
      }
    }
  }
}

/** Tells both ring threads `order` and waits until both carried it out (an inner wait: no protocol message). */
async function pauseRings(d: Driver, lanes: Lanes, order: "hold" | "drop"): Promise<void> {
  d.send(lanes.txOrders, order);
  d.send(lanes.rxOrders, order);
  await d.wait(lanes.acks);
  await d.wait(lanes.acks);
}

function runRings(d: Driver, lanes: Lanes): void {
  d.send(lanes.txOrders, "go");
  d.send(lanes.rxOrders, "go");
}

export default defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
  const { open, close, xmit, txTimeout, suspend, resume, unplug } = d.mb;
  const { openComplete, closeComplete, suspendComplete, resumeComplete } = d.mb;
  const hw = new Rtl8169Hw(d.dev);
  const lanes: Lanes = {
    frames: d.mailbox<{ frame: Uint8Array }, "frames">("frames"),
    txDone: d.mailbox<void, "txDone">("txDone"),
    rxReady: d.mailbox<void, "rxReady">("rxReady"),
    txOrders: d.mailbox<Order, "txOrders">("txOrders"),
    rxOrders: d.mailbox<Order, "rxOrders">("rxOrders"),
    acks: d.mailbox<"tx" | "rx", "acks">("acks"),
  };
  d.spawn("tx", (t) => txThread(t, hw, lanes));
  d.spawn("rx", (t) => rxThread(t, hw, lanes));
  let state: "closed" | "open" | "suspended" | "gone" = "closed";

  for (;;) {
    switch (state) {
      case "closed": {
        const r = await d.wait(open, txTimeout, unplug, d.dev.irq);
        if (r.name === "open") {
          const up = await bringUp(d, hw);
          d.send(openComplete, { status: up ? Status.ok : Status.ENODEV });
          if (up) runRings(d, lanes);
          state = up ? "open" : "gone";
        } else if (r.name === "unplug") {
          d.send(lanes.txOrders, "exit");
          d.send(lanes.rxOrders, "exit");
          return;
        }
        break;
      }

      case "open": {
        const r = await d.wait(close, xmit, txTimeout, suspend, unplug, d.dev.irq);
        switch (r.name) {
          case "xmit":
            d.send(lanes.frames, { frame: r.msg.frame });
            break;
          case "irq": {
            const status = hw.takeStatus();
            if (status === ALL_ONES) {
              state = "gone";
              break;
            }
            if ((status & RX_EVENTS) !== 0) d.send(lanes.rxReady);
            if ((status & TX_EVENTS) !== 0) d.send(lanes.txDone);
            if ((status & Intr.LinkChg) !== 0) d.log(`link ${hw.linkUp() ? "up" : "down"}`);
            break;
          }
          case "txTimeout": {
            d.log("transmit timed out: resetting the chip");
            await pauseRings(d, lanes, "hold");
            const up = await bringUp(d, hw);
            if (up)
              d.send(lanes.txOrders, "go"); // BUG: runRings(d, lanes): the RX thread is left paused
            else state = "gone";
            break;
          }
          case "suspend": {
            await pauseRings(d, lanes, "hold");
            const present = !hw.isGone();
            if (present) hw.stop();
            d.send(suspendComplete, { status: present ? Status.ok : Status.ENODEV });
            state = "suspended";
            break;
          }
          case "close":
            await pauseRings(d, lanes, "drop");
            if (!hw.isGone()) hw.stop();
            d.send(closeComplete, { status: Status.ok });
            state = "closed";
            break;
          case "unplug":
            d.send(lanes.txOrders, "exit");
            d.send(lanes.rxOrders, "exit");
            return;
        }
        break;
      }

      case "suspended": {
        const r = await d.wait(resume, unplug, d.dev.irq);
        if (r.name === "resume") {
          const up = await bringUp(d, hw);
          d.send(resumeComplete, { status: up ? Status.ok : Status.ENODEV });
          if (up) runRings(d, lanes);
          state = up ? "open" : "gone";
        } else if (r.name === "unplug") {
          d.send(lanes.txOrders, "exit");
          d.send(lanes.rxOrders, "exit");
          return;
        }
        break;
      }

      case "gone": {
        // The card reads all ones: frames go nowhere, requests get ENODEV until the OS's unplug.
        const r = await d.wait(close, xmit, txTimeout, suspend, unplug, d.dev.irq);
        if (r.name === "close") {
          await pauseRings(d, lanes, "drop");
          d.send(closeComplete, { status: Status.ok });
          state = "closed";
        } else if (r.name === "suspend") {
          await pauseRings(d, lanes, "drop");
          d.send(suspendComplete, { status: Status.ENODEV });
          state = "suspended";
        } else if (r.name === "unplug") {
          d.send(lanes.txOrders, "exit");
          d.send(lanes.rxOrders, "exit");
          return;
        }
        break;
      }
    }
  }
});
