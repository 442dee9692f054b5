// Interrupt mitigation (IntrMitigate, 0xE2): the chip holds RxOK and TxOK back until enough
// frames completed or a timer ran out, so that one interrupt reports several frames. This is what
// Linux's r8169 programs for `ethtool -C eth0 rx-usecs N rx-frames M`, and what keeps a gigabit
// NIC from interrupting once per frame.
//
// The fields, as Linux's r8169 lays them out (RTL_COALESCE_*): bits 15..12 TX timer, 11..8 TX
// frames / 4, 7..4 RX timer, 3..0 RX frames / 4. Timers count in units that CPlusCmd bits 1..0
// choose (MITIGATION_UNIT_US). A direction whose timer field is 0 interrupts per frame. The model
// keeps held events out of IntrStatus until they are released, and any interrupt the chip signals
// (an error, a link change, the other direction's release) carries them too: one interrupt
// reports everything pending.
import type { TimerHandle } from "../device";

/** Bit positions and widths of the IntrMitigate fields. */
export const Mitigate = {
  TxTimerShift: 12,
  TxFramesShift: 8,
  RxTimerShift: 4,
  RxFramesShift: 0,
  /** Every field is 4 bits wide. */
  FieldMask: 0xf,
  /** CPlusCmd bits 1..0: the timer unit (an index into MITIGATION_UNIT_US). */
  CPlusUnitMask: 0x3,
} as const;

/** The RTL8169's timer unit at 1000 Mb/s, in us, by CPlusCmd bits 1..0 (from Linux's r8169). */
export const MITIGATION_UNIT_US: readonly number[] = [0.32, 2.56, 5.12, 10.24];

/** An IntrMitigate value; timers in CPlusCmd units, frame counts rounded up to fours (0..60). */
export function intrMitigate(fields: { txTimer?: number; txFrames?: number; rxTimer?: number; rxFrames?: number }): number {
  const field = (name: string, v: number | undefined, scale: number): number => {
    const n = Math.ceil((v ?? 0) / scale);
    if (!Number.isInteger(n) || n < 0 || n > Mitigate.FieldMask)
      throw new RangeError(`intrMitigate: ${name} ${String(v)} is out of range (0..${Mitigate.FieldMask * scale})`);
    return n;
  };
  return (
    (field("txTimer", fields.txTimer, 1) << Mitigate.TxTimerShift) |
    (field("txFrames", fields.txFrames, 4) << Mitigate.TxFramesShift) |
    (field("rxTimer", fields.rxTimer, 1) << Mitigate.RxTimerShift) |
    (field("rxFrames", fields.rxFrames, 4) << Mitigate.RxFramesShift)
  );
}

/** "rx 4x10.24us/16 frames, tx off". */
export function decodeMitigation(setting: number, cplus: number): string {
  const unit = MITIGATION_UNIT_US[cplus & Mitigate.CPlusUnitMask];
  const side = (name: string, timerShift: number, framesShift: number): string => {
    const timer = (setting >>> timerShift) & Mitigate.FieldMask;
    const frames = ((setting >>> framesShift) & Mitigate.FieldMask) * 4;
    return timer === 0 ? `${name} off` : `${name} ${timer}x${unit}us${frames > 0 ? `/${frames} frames` : ""}`;
  };
  return `${side("rx", Mitigate.RxTimerShift, Mitigate.RxFramesShift)}, ${side("tx", Mitigate.TxTimerShift, Mitigate.TxFramesShift)}`;
}

/** One direction's held completions. */
class Held {
  count = 0;
  /** Virtual time by which what this direction holds must be signalled (Infinity: nothing held). */
  deadline = Infinity;
  constructor(
    readonly bit: number,
    readonly timerShift: number,
    readonly framesShift: number,
  ) {}
}

export class InterruptMitigation {
  private readonly rx: Held;
  private readonly tx: Held;
  private heldBits = 0;
  /** One timer for both directions, at the earlier deadline: a release signals everything held anyway. */
  private timer: TimerHandle | undefined = undefined;
  private timerAt = Infinity;

  /**
   * `schedule` runs a callback after a delay of virtual time; `release` is called when a timer runs
   * out (the chip then signals what it held: see take()). `now` is the device's virtual time.
   */
  constructor(
    rxBit: number,
    txBit: number,
    private readonly now: () => number,
    private readonly schedule: (delayUs: number, fn: () => void) => TimerHandle | undefined,
    private readonly release: () => void,
  ) {
    this.rx = new Held(rxBit, Mitigate.RxTimerShift, Mitigate.RxFramesShift);
    this.tx = new Held(txBit, Mitigate.TxTimerShift, Mitigate.TxFramesShift);
  }

  /** Bits held back now (not yet in IntrStatus). */
  get held(): number {
    return this.heldBits;
  }

  /**
   * A frame completed with `bit` (RxOK or TxOK). True when the chip holds it back; false when it
   * is to be signalled now (no mitigation for that direction, or the frame count is reached).
   */
  hold(bit: number, setting: number, cplus: number): boolean {
    const d = bit === this.rx.bit ? this.rx : this.tx;
    const timer = (setting >>> d.timerShift) & Mitigate.FieldMask;
    if (timer === 0) return false;
    const frames = ((setting >>> d.framesShift) & Mitigate.FieldMask) * 4;
    d.count++;
    if (frames > 0 && d.count >= frames) return false;
    this.heldBits |= bit;
    if (d.deadline === Infinity) {
      const delay = timer * MITIGATION_UNIT_US[cplus & Mitigate.CPlusUnitMask];
      d.deadline = this.now() + delay;
      if (d.deadline < this.timerAt) {
        this.timer?.cancel();
        this.timerAt = d.deadline;
        this.timer = this.schedule(delay, this.expired);
      }
    }
    return true;
  }

  private readonly expired = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.release();
  };

  /** The chip signals an interrupt: everything held goes with it, and the counts start again. */
  take(): number {
    const bits = this.heldBits;
    if (bits === 0 && this.rx.count === 0 && this.tx.count === 0) return 0;
    this.heldBits = 0;
    this.rx.count = this.tx.count = 0;
    this.rx.deadline = this.tx.deadline = Infinity;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    return bits;
  }

  /** Reset: nothing held, no timer. */
  reset(): void {
    this.take();
  }
}
