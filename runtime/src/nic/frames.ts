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

export function makeFrame(spec: FrameSpec): Uint8Array {
  const size = Math.max(ETH_HEADER + TAG_LEN, Math.floor(spec.size));
  const f = new Uint8Array(size);
  f.set(spec.dst.subarray(0, 6), 0);
  f.set(spec.src.subarray(0, 6), 6);
  f[12] = ETHERTYPE_SIM >> 8;
  f[13] = ETHERTYPE_SIM & 0xff;
  const v = new DataView(f.buffer);
  v.setUint32(TAG_AT, MAGIC);
  v.setUint16(TAG_AT + 4, spec.stream);
  v.setUint32(TAG_AT + 6, spec.seq >>> 0);
  // A fill that depends on the sequence number: a driver that mixes up buffers shows as a mismatch.
  // (Word at a time: frames are made on the hot path.)
  const start = TAG_AT + TAG_LEN;
  const base = (spec.seq * 31) & 0xff;
  let i = start;
  for (; i < size && (i & 3) !== 0; i++) f[i] = (base + i) & 0xff;
  for (; i + 4 <= size; i += 4) {
    const b = (base + i) & 0xff;
    v.setUint32(i, ((b << 24) | (((b + 1) & 0xff) << 16) | (((b + 2) & 0xff) << 8) | ((b + 3) & 0xff)) >>> 0);
  }
  for (; i < size; i++) f[i] = (base + i) & 0xff;
  return f;
}

export interface FrameTag {
  stream: number;
  seq: number;
}

/** The tag of a frame made by makeFrame, or undefined for foreign frames. */
export function frameTag(f: Uint8Array): FrameTag | undefined {
  if (f.length < TAG_AT + TAG_LEN) return undefined;
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  if (v.getUint32(TAG_AT) !== MAGIC) return undefined;
  return { stream: v.getUint16(TAG_AT + 4), seq: v.getUint32(TAG_AT + 6) };
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
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new Error(`bad MAC address "${text}": expected six hex bytes like 02:00:5e:00:00:01`);
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
