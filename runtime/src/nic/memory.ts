// Simulated physical memory for DMA: regions at bus addresses that both the driver (through its
// DmaRegion views) and the device (through bus addresses) reach. Gaps between regions are unmapped,
// so a stray descriptor address is a bus error rather than silent corruption.
import type { DmaRegion } from "../device";
import * as frames from "./frames";

// Values from sibling modules are copied into constants here: under a CommonJS transform (tsx, the
// tests and benchmarks) every use of an import is a getter call, and these run per frame.
const { copyBytes, frameBytes } = frames;

/** First bus address handed out: a low, recognisable value, far from 0 (0 is a common bug). */
export const DMA_BASE = 0x10000000;
/** Regions start on this boundary (the RTL8169 wants 256-byte aligned descriptor rings). */
export const DMA_ALIGN = 256;
/** Unmapped guard between regions. */
const GUARD = 4096;
/** Total DMA the device will allocate: a driver that allocates per frame hits this quickly. */
export const DMA_LIMIT = 64 * 1024 * 1024;

/** Thrown when a DMA allocation is impossible; the runtime reports it as a driver error. */
export class DmaError extends Error {}

interface Mapped extends DmaRegion {
  readonly end: number;
  /** The backing store (what `bytes.buffer` returns, without the getter on a Uint8Array subclass per access). */
  readonly buffer: ArrayBuffer;
}

/**
 * What `slice()`, `map()` and `filter()` of DMA bytes make (the species constructor): their result
 * comes from the frame blocks of frames.ts instead of an ArrayBuffer of its own. A driver copies
 * each received frame out of its RX buffer with `slice`, and an ArrayBuffer per frame was most of
 * that cost. The result is still a plain Uint8Array holding its own copy; only its `.buffer` is
 * shared (use byteOffset with it). `subarray` views stay views of the region.
 */
function DmaCopy(lengthOrBuffer: number | ArrayBufferLike, byteOffset?: number, length?: number): Uint8Array {
  return typeof lengthOrBuffer === "number" ? frameBytes(lengthOrBuffer) : new Uint8Array(lengthOrBuffer, byteOffset, length);
}

/** The bytes of a DMA region: a Uint8Array whose copies come from the frame blocks (see DmaCopy). */
class DmaBytes extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    return DmaCopy as unknown as Uint8ArrayConstructor;
  }
}

/**
 * Backing stores given back by released memories, by size. A run allocates its rings and buffers
 * afresh (~200 KB for the samples); zero-filling a spare is cheaper than a new ArrayBuffer and
 * the GC work its external memory triggers (a few percent of a 10 ms run).
 */
const spares = new Map<number, ArrayBuffer[]>();
let spareBytes = 0;
const SPARE_LIMIT = 16 * 1024 * 1024;

function backingStore(bytes: number): ArrayBuffer {
  const spare = spares.get(bytes)?.pop();
  if (spare === undefined) return new ArrayBuffer(bytes);
  spareBytes -= bytes;
  new Uint8Array(spare).fill(0);
  return spare;
}

export class PhysicalMemory {
  private readonly regions: Mapped[] = [];
  private next = DMA_BASE;
  private total = 0;
  private last: Mapped | undefined;

  alloc(bytes: number): DmaRegion {
    if (!Number.isInteger(bytes) || bytes <= 0) throw new DmaError(`dma(${String(bytes)}): size must be a positive integer`);
    if (this.total + bytes > DMA_LIMIT) {
      throw new DmaError(`dma(${bytes}): the device's DMA limit of ${DMA_LIMIT} bytes is exhausted (${this.total} in use); allocate rings and buffers once`);
    }
    const addr = this.next;
    const buffer = backingStore(bytes);
    const region: Mapped = { addr, size: bytes, end: addr + bytes, bytes: new DmaBytes(buffer), view: new DataView(buffer), buffer };
    this.regions.push(region);
    this.total += bytes;
    this.next = Math.ceil((addr + bytes + GUARD) / DMA_ALIGN) * DMA_ALIGN;
    return region;
  }

  /**
   * Unmaps every region and keeps the backing stores for later memories. Only for the owner of the
   * whole run (runScenario, when nobody else holds the device): the driver's DmaRegion views
   * still reach the bytes, and a later run will reuse them.
   */
  release(): void {
    for (const r of this.regions) {
      const buffer = r.buffer;
      if (spareBytes + r.size > SPARE_LIMIT) break;
      let list = spares.get(r.size);
      if (list === undefined) spares.set(r.size, (list = []));
      list.push(buffer);
      spareBytes += r.size;
    }
    this.regions.length = 0;
    this.last = undefined;
  }

  get allocated(): number {
    return this.total;
  }

  get regionCount(): number {
    return this.regions.length;
  }

  /** The region holding [addr, addr+len), or undefined when any byte of it is unmapped. */
  find(addr: number, len: number): Mapped | undefined {
    const hit = this.last;
    if (hit !== undefined && addr >= hit.addr && addr + len <= hit.end) return hit;
    // Regions are sorted by address: binary search.
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid];
      if (addr < r.addr) hi = mid - 1;
      else if (addr >= r.end) lo = mid + 1;
      else {
        if (addr + len > r.end) return undefined;
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  readU32(addr: number): number | undefined {
    const r = this.find(addr, 4);
    return r === undefined ? undefined : r.view.getUint32(addr - r.addr, true);
  }

  writeU32(addr: number, value: number): boolean {
    const r = this.find(addr, 4);
    if (r === undefined) return false;
    r.view.setUint32(addr - r.addr, value >>> 0, true);
    return true;
  }

  /** A copy of [addr, addr+len), or undefined when unmapped. */
  read(addr: number, len: number): Uint8Array | undefined {
    const r = this.find(addr, len);
    return r === undefined ? undefined : copyBytes(r.bytes, addr - r.addr, len);
  }

  /** A view of [addr, addr+len) (no copy: it changes when the memory does), or undefined when unmapped. */
  view(addr: number, len: number): Uint8Array | undefined {
    const r = this.find(addr, len);
    return r === undefined ? undefined : new Uint8Array(r.buffer, addr - r.addr, len);
  }

  write(addr: number, data: Uint8Array): boolean {
    const r = this.find(addr, data.length);
    if (r === undefined) return false;
    r.bytes.set(data, addr - r.addr);
    return true;
  }
}
