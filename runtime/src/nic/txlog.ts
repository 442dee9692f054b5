// The frames the OS handed to the driver, by sequence number: what each was (so that the copy on
// the wire can be checked against it) and what became of it. Parallel arrays, no object per frame:
// these records live for the whole run, and V8 allocated an object each straight into the old
// generation, a visible cost per frame.
import type { DropCause } from "./wire";
import type { FrameSpec } from "./frames";

export type TxFate = "outstanding" | "delivered" | "corrupted" | DropCause;

/** Flags of a frame. */
export const TxMark = {
  /** Outstanding when the watchdog fired. */
  timeout: 1,
  /** Outstanding when the card vanished. */
  unplug: 2,
  /** Outstanding when the protocol-driven OS, its drain time over, asked the driver to stop the interface (close, suspend): a driver may discard those. */
  stopped: 4,
} as const;

export class TxLog {
  private readonly dst: Uint8Array[] = [];
  private readonly src: Uint8Array[] = [];
  private readonly size: number[] = [];
  readonly fate: TxFate[] = [];
  readonly marks: number[] = [];
  /** The spec handed out by spec(): one object, refilled per call. */
  private readonly scratch: FrameSpec = { dst: new Uint8Array(6), src: new Uint8Array(6), stream: 0, seq: 0, size: 0 };

  get length(): number {
    return this.fate.length;
  }

  /** Records a frame the OS made; returns its sequence number. */
  add(dst: Uint8Array, src: Uint8Array, size: number): number {
    this.dst.push(dst);
    this.src.push(src);
    this.size.push(size);
    this.fate.push("outstanding");
    this.marks.push(0);
    return this.fate.length - 1;
  }

  /** What frame `seq` was made from (valid until the next call). */
  spec(seq: number, stream: number): FrameSpec {
    const s = this.scratch;
    s.dst = this.dst[seq];
    s.src = this.src[seq];
    s.stream = stream;
    s.seq = seq;
    s.size = this.size[seq];
    return s;
  }

  /** Marks every frame still outstanding with `mark`; returns how many had no mark before (the ones the OS counts as outstanding). */
  markOutstanding(mark: number): number {
    let n = 0;
    for (let seq = 0; seq < this.fate.length; seq++) {
      if (this.fate[seq] === "outstanding" && (this.marks[seq] & mark) === 0) {
        if (this.marks[seq] === 0) n++;
        this.marks[seq] |= mark;
      }
    }
    return n;
  }
}
