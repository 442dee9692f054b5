// A copy of samples/rtl8169/passive.ts with one bug: suspend forgets the frames still in the TX ring
// (dropTx instead of salvageTx), so a suspend that comes while frames are queued loses them.
import { definePassiveDriver } from "active-driver";
import { Intr, Rtl8169 } from "active-driver/nic";
import { ALL_ONES, RESET_POLL_MS, RESET_POLLS, RX_EVENTS, Rtl8169Hw, TX_EVENTS } from "../../../samples/rtl8169/hw";
import { Ethernet, Status } from "../../../samples/rtl8169/protocol";

export default definePassiveDriver({ protocol: Ethernet, device: Rtl8169 }, (k) => {
  const hw = new Rtl8169Hw(k.dev);
  // netif_running(): set by open, cleared by close; the deferred reset must check it (Figure 2, line 7).
  let running = false;
  let suspended = false;
  // While the worker resets the chip, xmit must not touch the rings and irq must not either.
  let resetting = false;
  // The card read all ones: every entry point has to know.
  let gone = false;

  /** Resets the chip and polls for the end of the reset, bounded; false when the card is gone. */
  async function resetChip(): Promise<boolean> {
    resetting = true;
    try {
      hw.startReset();
      for (let poll = 0; poll < RESET_POLLS; poll++) {
        await k.sleep(RESET_POLL_MS);
        if (hw.isGone()) {
          gone = true;
          return false;
        }
        if (!hw.resetPending()) {
          hw.start();
          return true;
        }
      }
      return false;
    } finally {
      resetting = false;
    }
  }

  /** Figure 2's reset_work: runs later on a kernel worker, so it re-checks what happened meanwhile. */
  async function resetWork(): Promise<void> {
    await k.lock("rtnl");
    try {
      if (!running || suspended || gone) return; // closed, suspended or removed since the timeout
      for (const frame of hw.receive()) k.send("recv", { frame });
      hw.salvageTx();
      await resetChip();
    } finally {
      k.unlock("rtnl");
    }
  }

  return {
    async open() {
      await k.lock("rtnl"); // the kernel holds rtnl around open and close
      try {
        const up = !gone && (await resetChip());
        running = up;
        return { status: up ? Status.ok : Status.ENODEV };
      } finally {
        k.unlock("rtnl");
      }
    },

    async close() {
      await k.lock("rtnl");
      try {
        running = false;
        if (!gone) {
          for (const frame of hw.receive()) k.send("recv", { frame });
          hw.stop();
        }
        hw.dropTx();
        return { status: Status.ok };
      } finally {
        k.unlock("rtnl");
      }
    },

    xmit({ frame }) {
      if (gone || !running) return; // a removed card: the frame goes nowhere
      if (resetting)
        hw.hold(frame); // the rings are being rebuilt: start() sends it
      else hw.transmit(frame);
    },

    txTimeout() {
      // Called from the timer interrupt: it must not block, so the reset happens later, elsewhere.
      k.schedule(() => resetWork());
    },

    async suspend() {
      await k.lock("rtnl");
      try {
        if (gone) return { status: Status.ENODEV };
        for (const frame of hw.receive()) k.send("recv", { frame });
        hw.stop();
        hw.dropTx(); // BUG: should be salvageTx(): the queue is dropped on suspend
        suspended = true;
        return { status: Status.ok };
      } finally {
        k.unlock("rtnl");
      }
    },

    async resume() {
      await k.lock("rtnl");
      try {
        const up = !gone && (await resetChip());
        suspended = false;
        return { status: up ? Status.ok : Status.ENODEV };
      } finally {
        k.unlock("rtnl");
      }
    },

    unplug() {
      gone = true;
      running = false;
      hw.dropTx();
    },

    irq() {
      // Interrupt context: no locks, no sleeping; only the flags say whether the rings are usable.
      if (gone || !running || suspended || resetting) return;
      const status = hw.takeStatus();
      if (status === ALL_ONES) {
        gone = true;
        return;
      }
      if ((status & RX_EVENTS) !== 0) for (const frame of hw.receive()) k.send("recv", { frame });
      if ((status & TX_EVENTS) !== 0) hw.reclaimTx();
      if ((status & Intr.LinkChg) !== 0) k.log(`link ${hw.linkUp() ? "up" : "down"}`);
    },
  };
});
