// The wire on the far side of the NIC: loopback, a seeded traffic generator, a pcap tap, and
// observers (the simulated OS uses them for accounting). Virtual time only, from the DeviceHost.
import type { DeviceHost, TimerHandle } from "../device";
import { FRACTION_STEPS, type ChoiceKind } from "../explore/chooser";
import * as frames from "./frames";
import { PcapWriter } from "./pcap";

// Values from sibling modules are copied into constants here: under a CommonJS transform (tsx, the
// tests and benchmarks) every use of an import is a getter call, and these run per frame.
const { BROADCAST, ETH_MAX, ETH_MIN, PEER_MAC, Stream, makeFrame } = frames;

/** Why a frame did not make it (TX: from the OS to the wire; RX: from the wire into an RX buffer). */
export type DropCause =
  | "tx-link-down" // transmitted while the link was down: the frame went nowhere
  | "tx-lockup" // held by a locked-up transmitter and discarded by the reset that cleared it
  | "tx-reset" // in flight when the driver reset the chip
  | "tx-unplugged" // in flight when the card was unplugged
  | "tx-dma-error" // a fragment's buffer address is not mapped DMA memory
  | "tx-malformed" // a descriptor chain that does not start with FS
  | "rx-link-down"
  | "rx-disabled" // CmdRxEnb clear or the chip in reset
  | "rx-filtered" // RxConfig accepts no frame of this kind
  | "rx-no-descriptor" // the next RX descriptor is not owned by the NIC (RxOverflow/RDU)
  | "rx-fifo-overflow" // the injected RX overflow fault (RxFIFOOver)
  | "rx-too-long" // longer than RxMaxSize
  | "rx-bad-descriptor" // buffer size 0 in an owned descriptor
  | "rx-dma-error"
  | "rx-unplugged";

export type RxResult = "ok" | DropCause;

/** The device side of the wire. */
export interface WirePort {
  /** A frame arrives from the wire; the device says what became of it. */
  receive(frame: Uint8Array): RxResult;
  /** The NIC's current station address (MAC0..5). */
  readonly mac: Uint8Array;
}

export interface TrafficOptions {
  /** Frames per second of virtual time. */
  rate: number;
  /** Frame sizes, without FCS, uniform in [minSize, maxSize] (defaults 60 and 1514). */
  minSize?: number;
  maxSize?: number;
  /** Virtual time (us) of the first frame (default 0) and of the end of traffic (default: never). */
  startUs?: number;
  stopUs?: number;
  /** At most this many frames. */
  count?: number;
  /** Fraction of frames sent to the broadcast address instead of the NIC's MAC (default 0). */
  broadcast?: number;
}

export interface WireOptions {
  /** Frames the NIC transmits come back to its receiver. */
  loopback?: boolean;
  /** Delay of the loopback path (default 1 us). */
  loopbackDelayUs?: number;
  /** Incoming traffic from a peer. */
  traffic?: TrafficOptions;
  /** A pcap tap: `true` for a new writer, or one you hold. */
  pcap?: PcapWriter | boolean;
  /** Which frames the tap records (default "both"). */
  pcapDirection?: "tx" | "rx" | "both";
  /** The generator waits for resumeTraffic() (the simulated OS starts it when the interface opens). */
  trafficPaused?: boolean;
}

export interface WireObserver {
  /** A frame left the NIC; `delivered` is false when it was dropped (link down) on the way out. */
  transmitted?(frame: Uint8Array, timeUs: number, cause: DropCause | undefined): void;
  /** A frame was offered to the NIC's receiver and this became of it. */
  offered?(frame: Uint8Array, timeUs: number, result: RxResult): void;
}

export interface WireCounters {
  /** Frames that reached the wire from the NIC. */
  transmitted: number;
  /** Frames offered to the NIC (generator, loopback, bursts, tests). */
  offered: number;
  generated: number;
  loopedBack: number;
}

/**
 * The timers a part of the device has pending, so that it can cancel them all at once (detach,
 * unplug). Few are pending at a time: an array, no Set churn per timer.
 */
export class PendingTimers {
  private list: TimerHandle[] = [];
  add(t: TimerHandle): void {
    this.list.push(t);
  }
  delete(t: TimerHandle): void {
    const list = this.list;
    const i = list.lastIndexOf(t);
    if (i < 0) return;
    const last = list.pop()!;
    if (i < list.length) list[i] = last;
  }
  cancelAll(): void {
    const list = this.list;
    this.list = [];
    for (const t of list) t.cancel();
  }
}

export class Wire {
  readonly options: WireOptions;
  readonly pcap: PcapWriter | undefined;
  readonly counters: WireCounters = { transmitted: 0, offered: 0, generated: 0, loopedBack: 0 };
  private readonly observers: WireObserver[] = [];
  /** Observers that read a frame only during the call (the simulated OS's accounting). */
  private readonly borrowers: WireObserver[] = [];
  private port: WirePort | undefined;
  private host: DeviceHost | undefined;
  private readonly timers = new PendingTimers();
  private stopped = false;
  private trafficPaused: boolean;
  private generator: TimerHandle | undefined;
  private seq = 0;
  private burstSeq = 0;

  constructor(options: WireOptions = {}) {
    this.options = options;
    this.trafficPaused = options.trafficPaused ?? false;
    this.pcap = options.pcap === true ? new PcapWriter() : options.pcap === false ? undefined : options.pcap;
    const t = options.traffic;
    if (t !== undefined && !(t.rate > 0)) throw new Error(`wire: traffic.rate must be a positive number of frames per second, got ${String(t.rate)}`);
  }

  /** Tells `o` about every frame; the frames it gets are its own to keep. */
  observe(o: WireObserver): void {
    this.observers.push(o);
  }

  /**
   * Like observe(), for an observer that reads each frame during the call and keeps nothing: a
   * transmitted frame may then be a view of the NIC's DMA memory, which the driver reuses later.
   */
  observeBorrowed(o: WireObserver): void {
    this.borrowers.push(o);
  }

  /** Called by the device when it is attached to a domain. */
  connect(port: WirePort, host: DeviceHost): void {
    this.port = port;
    this.host = host;
    this.stopped = false;
    if (!this.trafficPaused) this.startGenerator(0);
  }

  /** Stops incoming traffic until resumeTraffic() (frames in the loopback path still arrive). */
  pauseTraffic(): void {
    this.trafficPaused = true;
    this.generator?.cancel();
    this.generator = undefined;
  }

  resumeTraffic(): void {
    if (!this.trafficPaused) return;
    this.trafficPaused = false;
    const host = this.host;
    const t = this.options.traffic;
    if (host === undefined || t === undefined) return;
    // The next frame comes a seeded share of the mean gap later.
    this.startGenerator(roundUs((1e6 / t.rate) * this.fraction(host, "rx-gap")));
  }

  private startGenerator(delayUs: number): void {
    const t = this.options.traffic;
    const host = this.host;
    if (t === undefined || host === undefined || this.generator !== undefined || this.stopped) return;
    // Not a tracked at(): one generator timer is pending at a time, so one callback serves them
    // all, and pauseTraffic() and stop() cancel it. In the background: traffic alone does not keep
    // the runtime's idle() going.
    const handle = host.after(onNanosecondGrid(host.now(), Math.max(delayUs, (t.startUs ?? 0) - host.now())), this.generatorTick);
    (handle as { unref?: () => void }).unref?.();
    this.generator = handle;
  }

  private readonly generatorTick = (): void => {
    this.generator = undefined;
    if (!this.stopped) this.generate();
  };

  /** Stops generating and delivering (detach, unplug). */
  stop(): void {
    this.stopped = true;
    this.generator?.cancel();
    this.generator = undefined;
    this.timers.cancelAll();
  }

  /**
   * The NIC put `frame` on the wire (cause set when it was lost on the way, e.g. link down).
   * `borrowed`: the frame is a view of device memory, valid during this call only (the NIC's TX
   * reads the buffer as it sends, as DMA does); observers that keep frames get a copy.
   */
  transmit(frame: Uint8Array, cause?: DropCause, borrowed = false): void {
    const now = this.host?.now() ?? 0;
    if (cause === undefined) {
      this.counters.transmitted++;
      if (this.pcap !== undefined && this.options.pcapDirection !== "rx") this.pcap.record(frame, now);
    }
    for (const o of this.borrowers) o.transmitted?.(frame, now, cause);
    if (this.observers.length > 0) {
      const own = borrowed ? frame.slice() : frame;
      for (const o of this.observers) o.transmitted?.(own, now, cause);
    }
    if (cause === undefined && this.options.loopback === true && !this.stopped) {
      const copy = frame.slice();
      this.at(this.options.loopbackDelayUs ?? 1, () => {
        this.counters.loopedBack++;
        this.inject(copy);
      });
    }
  }

  /** Offers a frame to the NIC's receiver now. */
  inject(frame: Uint8Array): RxResult {
    if (this.port === undefined || this.host === undefined) throw new Error("wire: inject before the device is attached");
    const now = this.host.now();
    this.counters.offered++;
    const result = this.port.receive(frame);
    if (this.pcap !== undefined && this.options.pcapDirection !== "tx") this.pcap.record(frame, now);
    for (const o of this.borrowers) o.offered?.(frame, now, result);
    for (const o of this.observers) o.offered?.(frame, now, result);
    return result;
  }

  /** `frames` frames of `size` bytes to the NIC back to back at line rate (1 Gb/s), starting now. */
  burst(frames: number, size = ETH_MIN): void {
    const host = this.host;
    const port = this.port;
    if (host === undefined || port === undefined) throw new Error("wire: burst before the device is attached");
    const gap = wireTimeUs(size);
    for (let i = 0; i < frames; i++) {
      this.at(i * gap, () => this.inject(makeFrame({ dst: port.mac, src: PEER_MAC, stream: Stream.burst, seq: this.burstSeq++, size })));
    }
  }

  private generate(): void {
    const t = this.options.traffic;
    const host = this.host;
    const port = this.port;
    if (t === undefined || host === undefined || port === undefined || this.stopped || this.trafficPaused) return;
    if (t.stopUs !== undefined && host.now() >= t.stopUs) return;
    if (t.count !== undefined && this.counters.generated >= t.count) return;
    const min = Math.max(ETH_MIN, t.minSize ?? ETH_MIN);
    const max = Math.max(min, Math.min(t.maxSize ?? ETH_MAX, 9014));
    const size = min + this.pick(host, "rx-size", max - min + 1);
    const dst = t.broadcast !== undefined && this.fraction(host, "rx-broadcast") < t.broadcast ? BROADCAST : port.mac;
    this.counters.generated++;
    this.inject(makeFrame({ dst, src: PEER_MAC, stream: Stream.generator, seq: this.seq++, size }));
    // Inter-arrival uniform in [0.5, 1.5) of the mean, never faster than the line.
    const mean = 1e6 / t.rate;
    const gap = Math.max(wireTimeUs(size), roundUs(mean * (0.5 + this.fraction(host, "rx-gap"))));
    this.startGenerator(gap);
  }

  /** A decision of the run's chooser (hosts without one: their random source). */
  private pick(host: DeviceHost, kind: ChoiceKind, options: number): number {
    return host.choose !== undefined ? host.choose(kind, options) : Math.floor(host.random() * options);
  }

  /** A share of a window in [0, 1), as a decision. */
  private fraction(host: DeviceHost, kind: ChoiceKind): number {
    return this.pick(host, kind, FRACTION_STEPS) / FRACTION_STEPS;
  }

  /** `background`: a timer that must not keep the runtime's idle() going (the runtime's handles can be unref'd). */
  private at(delayUs: number, fn: () => void, background = false): TimerHandle | undefined {
    const host = this.host;
    if (host === undefined || this.stopped) return undefined;
    const handle = host.after(onNanosecondGrid(host.now(), delayUs), () => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    });
    if (background) (handle as { unref?: () => void }).unref?.();
    this.timers.add(handle);
    return handle;
  }
}

/** Time a frame occupies a 1 Gb/s wire: bytes * 8 ns (FCS, preamble and gap left out), in us, rounded to ns. */
export function wireTimeUs(bytes: number): number {
  return roundUs(bytes * 0.008);
}

/** Rounds to whole nanoseconds, so sums of delays stay exact enough to be deterministic and readable. */
export function roundUs(us: number): number {
  return Math.round(us * 1000) / 1000;
}

/**
 * The delay that lands `now + delayUs` on a whole nanosecond, so that fractional wire times do
 * not pile up float noise in trace timestamps (2036.705, not 2036.7049999999997).
 */
export function onNanosecondGrid(now: number, delayUs: number): number {
  const target = Math.round((now + delayUs) * 1000) / 1000;
  return Math.max(0, target - now);
}
