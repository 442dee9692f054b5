// Ethernet frames for the simulation. Every frame the OS or the traffic generator makes carries a
// tag (magic, stream, sequence number) after the header, so accounting can follow each frame from
// the OS through the driver and the NIC to the wire and back, whatever the driver does to it.

export const ETH_HEADER = 14;
/** Smallest frame on the wire without the 4-byte FCS. */
export const ETH_MIN = 60;
/** Largest standard frame without the FCS. */
export const ETH_MAX = 1514;
/** IEEE 802 local experimental EtherType 1. */
export const ETHERTYPE_SIM = 0x88b5;

const MAGIC = 0x41445256; // "ADRV"
const TAG_AT = ETH_HEADER;
const TAG_LEN = 10;

/** Who made a frame. */
export const Stream = { os: 1, generator: 2, burst: 3, test: 4 } as const;

export const BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** The peer on the other end of the wire (locally administered). */
export const PEER_MAC = new Uint8Array([0x02, 0x00, 0x5e, 0x00, 0x00, 0x02]);
/** The NIC's MAC unless the options give another. */
export const DEFAULT_MAC = new Uint8Array([0x02, 0x00, 0x5e, 0x00, 0x00, 0x01]);

export interface FrameSpec {
  dst: Uint8Array;
  src: Uint8Array;
  stream: number;
  seq: number;
  /** Total length in bytes, without FCS; at least ETH_HEADER + 10. */
  size: number;
}

/**
 * Frames are cut from shared blocks (a view each, 8-byte aligned): a typed array of its own costs
 * an ArrayBuffer per frame, which is most of a frame's cost in the simulation. A frame is still
 * its own bytes (no two live frames overlap); its `.buffer` is the block, so use `byteOffset`.
 */
const BLOCK = 64 * 1024;
/** Larger frames (jumbo, or a test's) get an ArrayBuffer of their own. */
const BLOCK_MAX_FRAME = 4 * 1024;
let block = newBlock();
let blockUsed = 0;

/** Uninitialised memory: every byte of a frame is written before anyone reads it, and zeroing a block was a visible cost. */
function newBlock(): ArrayBuffer {
  return Buffer.allocUnsafeSlow(BLOCK).buffer as ArrayBuffer;
}

/** `size` bytes for a frame (contents unspecified: the caller writes every byte). */
export function frameBytes(size: number): Uint8Array {
  if (size > BLOCK_MAX_FRAME) return new Uint8Array(size);
  if (blockUsed + size > BLOCK) {
    block = newBlock();
    blockUsed = 0;
  }
  const f = new Uint8Array(block, blockUsed, size);
  blockUsed = (blockUsed + size + 7) & ~7;
  return f;
}

/** A copy of `src[from, from + len)` in frame memory. */
export function copyBytes(src: Uint8Array, from: number, len: number): Uint8Array {
  const out = frameBytes(len);
  out.set(from === 0 && len === src.length ? src : new Uint8Array(src.buffer, src.byteOffset + from, len));
  return out;
}

/**
 * RAMP[k] = k & 0xff, long enough for any frame's fill: the fill is one copy from it, and checking
 * it one compare. A Buffer, for compare() over ranges without a view per call.
 */
const RAMP = Buffer.alloc(256 + 9100);
for (let k = 0; k < RAMP.length; k++) RAMP[k] = k & 0xff;

export function makeFrame(spec: FrameSpec): Uint8Array {
  const size = Math.max(ETH_HEADER + TAG_LEN, Math.floor(spec.size));
  const f = frameBytes(size);
  const { dst, src } = spec;
  for (let i = 0; i < 6; i++) {
    f[i] = dst[i];
    f[6 + i] = src[i];
  }
  f[12] = ETHERTYPE_SIM >> 8;
  f[13] = ETHERTYPE_SIM & 0xff;
  // The tag, big-endian: magic, stream (16 bits), sequence number (32 bits).
  putU32(f, TAG_AT, MAGIC);
  f[TAG_AT + 4] = (spec.stream >>> 8) & 0xff;
  f[TAG_AT + 5] = spec.stream & 0xff;
  putU32(f, TAG_AT + 6, spec.seq >>> 0);
  // A fill that depends on the sequence number: a driver that mixes up buffers shows as a mismatch.
  // Byte i is (base + i) & 0xff: a slice of the ramp.
  const start = TAG_AT + TAG_LEN;
  const from = (((spec.seq * 31) & 0xff) + start) & 0xff;
  // set() from a view: Buffer#copy builds the same view inside, with more work around it.
  if (from + size - start <= RAMP.length) f.set(new Uint8Array(RAMP.buffer, RAMP.byteOffset + from, size - start), start);
  else for (let i = start; i < size; i++) f[i] = (from + i - start) & 0xff;
  return f;
}

/** Whether `f` holds exactly the bytes makeFrame(spec) makes (without making them: a compare per frame). */
export function isFrameOf(f: Uint8Array, spec: FrameSpec): boolean {
  const size = Math.max(ETH_HEADER + TAG_LEN, Math.floor(spec.size));
  if (f.length !== size) return false;
  const { dst, src } = spec;
  for (let i = 0; i < 6; i++) if (f[i] !== dst[i] || f[6 + i] !== src[i]) return false;
  if (f[12] !== ETHERTYPE_SIM >> 8 || f[13] !== (ETHERTYPE_SIM & 0xff)) return false;
  if (getU32(f, TAG_AT) !== MAGIC || ((f[TAG_AT + 4] << 8) | f[TAG_AT + 5]) !== (spec.stream & 0xffff) || getU32(f, TAG_AT + 6) !== spec.seq >>> 0)
    return false;
  const start = TAG_AT + TAG_LEN;
  const from = (((spec.seq * 31) & 0xff) + start) & 0xff;
  const n = size - start;
  if (from + n > RAMP.length) {
    for (let i = start; i < size; i++) if (f[i] !== ((from + i - start) & 0xff)) return false;
    return true;
  }
  return RAMP.compare(f, start, size, from, from + n) === 0;
}

function putU32(f: Uint8Array, at: number, v: number): void {
  f[at] = v >>> 24;
  f[at + 1] = (v >>> 16) & 0xff;
  f[at + 2] = (v >>> 8) & 0xff;
  f[at + 3] = v & 0xff;
}

function getU32(f: Uint8Array, at: number): number {
  return ((f[at] << 24) | (f[at + 1] << 16) | (f[at + 2] << 8) | f[at + 3]) >>> 0;
}

export interface FrameTag {
  stream: number;
  seq: number;
}

/** The tag of a frame made by makeFrame, or undefined for foreign frames. */
export function frameTag(f: Uint8Array): FrameTag | undefined {
  const key = frameKey(f);
  return key < 0 ? undefined : { stream: Math.floor(key / 0x100000000), seq: key % 0x100000000 };
}

/** tagKey(frameTag(f)) without the object: -1 for foreign frames. */
export function frameKey(f: Uint8Array): number {
  if (f.length < TAG_AT + TAG_LEN || getU32(f, TAG_AT) !== MAGIC) return -1;
  return ((f[TAG_AT + 4] << 8) | f[TAG_AT + 5]) * 0x100000000 + getU32(f, TAG_AT + 6);
}

/** Key for maps of tagged frames. */
export function tagKey(t: FrameTag): number {
  return t.stream * 0x100000000 + t.seq;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isBroadcast(mac: Uint8Array): boolean {
  return mac[0] === 0xff && mac[1] === 0xff && mac[2] === 0xff && mac[3] === 0xff && mac[4] === 0xff && mac[5] === 0xff;
}

export function isMulticast(mac: Uint8Array): boolean {
  return (mac[0] & 1) === 1;
}

/** "02:00:5e:00:00:01" -> bytes; throws on anything else. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p)))
    throw new Error(`bad MAC address "${text}": expected six hex bytes like 02:00:5e:00:00:01`);
  return new Uint8Array(parts.map((p) => parseInt(p, 16)));
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Short summary for traces: "60B ADRV os#12" or "60B 02:00:5e:00:00:02>ff:ff:ff:ff:ff:ff". */
export function describeFrame(f: Uint8Array): string {
  const tag = frameTag(f);
  if (tag !== undefined) {
    const name = Object.entries(Stream).find(([, id]) => id === tag.stream)?.[0] ?? `s${tag.stream}`;
    return `${f.length}B ${name}#${tag.seq}`;
  }
  if (f.length < ETH_HEADER) return `${f.length}B runt`;
  return `${f.length}B ${formatMac(f.subarray(6, 12))}>${formatMac(f.subarray(0, 6))}`;
}
