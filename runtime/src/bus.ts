// The bus adapter (paper, section 4.2): register access and DMA go to the device model, interrupts
// come back as `irq` messages (active) or `irq` entry-point calls (passive). Also the inert device
// used when a driver names none, and the DeviceHost a device model gets from the domain.
import type { Core } from "./core";
import type { DeviceHost, DeviceModel, DmaRegion } from "./device";
import { codes } from "./tracer";
import type { BusHandle, DeviceHandle } from "./types";
import { callerOf } from "./where";

/** What the bus needs from the side that calls it (the active domain or the passive runner). */
export interface BusSide {
  /** Counts one driver call (step budget) and throws once the driver is stopped. */
  step(api: (...args: never[]) => unknown): void;
  /** Trace id of the calling thread's lifeline. */
  lifeline(): number;
}

/** Reads return 0, writes are ignored, interrupts never fire: for drivers without `device:`. */
export class InertDevice implements DeviceModel {
  static readonly deviceName = "none";
  readonly name = "none";
  private next = 0x10000;
  attach(): void {}
  read(): number {
    return 0;
  }
  write(): void {}
  dma(bytes: number): DmaRegion {
    const region = new Uint8Array(bytes);
    const addr = this.next;
    this.next += (bytes + 0xfff) & ~0xfff;
    return { addr, size: bytes, bytes: region, view: new DataView(region.buffer) };
  }
  detach(): void {}
  inspect(): Record<string, unknown> {
    return {};
  }
}

const { DEVICE, FAULT, LOG, NONE } = codes;
const hex = (n: number): string => "0x" + (n >>> 0).toString(16);

type Reader = (reg: number) => number;
type Writer = (reg: number, value: number) => void;

/** The bus handle as a class: every instance has the same shape, so driver code stays monomorphic across launches. */
class Bus implements BusHandle {
  constructor(
    readonly read8: Reader,
    readonly read16: Reader,
    readonly read32: Reader,
    readonly write8: Writer,
    readonly write16: Writer,
    readonly write32: Writer,
    readonly dma: (bytes: number) => DmaRegion,
  ) {}
}

/** `d.dev`: the bus plus the interrupt mailbox. */
class DeviceBus extends Bus {
  constructor(
    bus: Bus,
    readonly irq: unknown,
  ) {
    super(bus.read8, bus.read16, bus.read32, bus.write8, bus.write16, bus.write32, bus.dma);
  }
}

export function createBus(core: Core, side: BusSide): Bus {
  const tracer = core.tracer !== null && core.tracer.registers ? core.tracer : null;
  const nic = core.nicId;
  /** A register access or DMA allocation as a `device` event, located at the driver's call when locations are on. */
  const traceAccess = (api: (...args: never[]) => unknown, text: string): void =>
    tracer!.emit(DEVICE, side.lifeline(), nic, NONE, -1, NONE, core.callLocations ? callerOf(api) : undefined, undefined, text);
  const read = (width: 1 | 2 | 4, name: string): Reader => {
    const api = (reg: number): number => {
      side.step(api);
      const value = core.device.read(reg, width);
      if (tracer !== null) traceAccess(api, `${name}(${hex(reg)}) = ${hex(value)}`);
      return value;
    };
    return api;
  };
  const write = (width: 1 | 2 | 4, name: string): Writer => {
    const api = (reg: number, value: number): void => {
      side.step(api);
      if (tracer !== null) traceAccess(api, `${name}(${hex(reg)}, ${hex(value)})`);
      core.device.write(reg, width, value);
    };
    return api;
  };
  const dma = (bytes: number): DmaRegion => {
    side.step(dma);
    const region = core.device.dma(bytes);
    if (tracer !== null) traceAccess(dma, `dma(${bytes}) at ${hex(region.addr)}`);
    return region;
  };
  return new Bus(read(1, "read8"), read(2, "read16"), read(4, "read32"), write(1, "write8"), write(2, "write16"), write(4, "write32"), dma);
}

/** `d.dev` of an active driver: the bus and `irq`. */
export function createDeviceHandle(core: Core, side: BusSide, irq: unknown): DeviceHandle {
  return Object.freeze(new DeviceBus(createBus(core, side), irq)) as unknown as DeviceHandle;
}

/** What the domain gives the device: the virtual clock, seeded randomness, interrupts, tracing. */
export function createDeviceHost(core: Core): DeviceHost {
  return {
    now: () => core.clock.now,
    after: (delayUs, fn) => core.clock.after(delayUs, fn, core.deviceError),
    interrupt: (isr) => {
      if (core.status === "running") core.engine.interrupt(isr);
    },
    random: core.deviceRandom,
    choose: (kind, options) => core.chooser.choose(kind, options),
    tracing: core.tracer !== null,
    trace: (event) => {
      const tracer = core.tracer;
      if (tracer === null) return;
      const kind = event.kind === "fault" ? FAULT : event.kind === "log" ? LOG : DEVICE;
      tracer.emit(kind, core.nicId, NONE, NONE, tracer.text(event.payload), NONE, undefined, event.fault, event.detail);
    },
  };
}
