// Helpers for the cases: a hardware class whose methods read registers through the device handle
// (as samples/rtl8169/hw.ts does), and a plain helper function doing the same.
import type { BusHandle } from "active-driver";
import { Cmd, Reg } from "active-driver/nic";

export const ALL_ONES = 0xffff;

export class Chip {
  constructor(private readonly dev: BusHandle) {}

  startReset(): void {
    this.dev.write8(Reg.ChipCmd, Cmd.Reset);
  }

  /** CmdReset still set: a register bit, through a method. */
  resetPending(): boolean {
    return (this.dev.read8(Reg.ChipCmd) & Cmd.Reset) !== 0;
  }

  isGone(): boolean {
    return this.status() === ALL_ONES;
  }

  status(): number {
    const value = this.dev.read16(Reg.IntrStatus);
    return value;
  }

  /** Spins here, in this file: a dead card never clears the bit. */
  spinUntilReset(): void {
    while (this.resetPending()) { //~ AD030
      this.dev.write8(Reg.ChipCmd, Cmd.Reset);
    }
  }

  /** The same with a bound. */
  waitReset(polls: number): boolean {
    for (let i = 0; i < polls; i++) if (!this.resetPending()) return true;
    return false;
  }
}

/** A register read through a plain function that receives the device. */
export function linkBits(dev: BusHandle): number {
  return dev.read8(Reg.PHYstatus) & 0x02;
}
