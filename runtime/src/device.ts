// The bus-transport boundary (paper, section 4.2): what a simulated device offers the bus adapter,
// and what the domain offers a device. The adapter turns `interrupt()` into `d.dev.irq` messages.
import type { ChoiceKind } from "./explore/chooser";
import type { TraceEvent } from "./trace";

/** A region of simulated DMA memory shared by driver and device. */
export interface DmaRegion {
  /** Bus address the driver writes into descriptors and ring-base registers. */
  readonly addr: number;
  readonly size: number;
  /** The bytes themselves (little-endian, as the device sees them). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

export interface TimerHandle {
  cancel(): void;
  /** Lets `inst.idle()` finish while this timer is pending (periodic timers). The runtime's handles have it. */
  unref?(): void;
}

/** What the domain gives a device: virtual time, a seeded random source, interrupts, tracing. */
export interface DeviceHost {
  /** Virtual time in microseconds. */
  now(): number;
  /** Runs `fn` after `delayUs` of virtual time. Timers at the same instant run in the order set. */
  after(delayUs: number, fn: () => void): TimerHandle;
  /** Raises an interrupt: the adapter queues `{ isr }` on the driver's `irq` mailbox. */
  interrupt(isr: number): void;
  /** Deterministic, from the run's seed: a float in [0, 1) (a "device" decision of the run's chooser). */
  random(): number;
  /**
   * One decision of the run's chooser (an integer in [0, options), 0 the natural choice). Absent
   * (hosts written before it existed): devices fall back on random().
   */
  choose?(kind: ChoiceKind, options: number): number;
  /** Adds a device event to the trace (no-op when tracing is off). */
  trace(event: Pick<TraceEvent, "kind" | "detail" | "fault" | "payload">): void;
  /**
   * Whether trace() records anything: a device skips composing trace text when false. Absent
   * (hosts written before it existed) means true.
   */
  readonly tracing?: boolean;
}

/** A simulated device, as the bus adapter sees it. */
export interface DeviceModel {
  readonly name: string;
  attach(host: DeviceHost): void;
  read(reg: number, width: 1 | 2 | 4): number;
  write(reg: number, width: 1 | 2 | 4, value: number): void;
  /** Allocates DMA memory the device can reach. */
  dma(bytes: number): DmaRegion;
  /** Stops timers; the device does nothing after this. */
  detach(): void;
  /** Decoded registers and rings, for the debugger's Device scope. */
  inspect?(): Record<string, unknown>;
}

/** `device:` in `defineDriver({ protocol, device })`: a class the runtime instantiates per launch. */
export interface DeviceClass {
  readonly deviceName: string;
  new (): DeviceModel;
}
