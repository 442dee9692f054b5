// Classic libpcap capture files (the format Wireshark and tcpdump read everywhere): a 24-byte
// global header, then per frame a 16-byte record header and the bytes. Microsecond timestamps
// come from virtual time, so a capture is as deterministic as the run.

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export interface PcapOptions {
  /** Bytes kept per frame (default 65535). */
  snaplen?: number;
  /** Stop recording past this many bytes of file (default 64 MiB); `truncated` then says so. */
  maxBytes?: number;
}

/** Collects a capture in memory; `bytes()` gives the file. */
export class PcapWriter {
  readonly snaplen: number;
  private readonly maxBytes: number;
  private readonly chunks: Uint8Array[] = [];
  private size = GLOBAL_HEADER;
  private frames = 0;
  /** True once a frame was left out because the capture hit maxBytes. */
  truncated = false;

  constructor(options: PcapOptions = {}) {
    this.snaplen = options.snaplen ?? 65535;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const h = new DataView(new ArrayBuffer(GLOBAL_HEADER));
    h.setUint32(0, PCAP_MAGIC, true);
    h.setUint16(4, 2, true); // version 2.4
    h.setUint16(6, 4, true);
    h.setInt32(8, 0, true); // thiszone: UTC
    h.setUint32(12, 0, true); // sigfigs
    h.setUint32(16, this.snaplen, true);
    h.setUint32(20, LINKTYPE_ETHERNET, true);
    this.chunks.push(new Uint8Array(h.buffer));
  }

  /** Records one frame seen at virtual time `timeUs`. */
  record(frame: Uint8Array, timeUs: number): void {
    const incl = Math.min(frame.length, this.snaplen);
    if (this.size + RECORD_HEADER + incl > this.maxBytes) {
      this.truncated = true;
      return;
    }
    const t = Math.max(0, Math.floor(timeUs));
    const rec = new Uint8Array(RECORD_HEADER + incl);
    const v = new DataView(rec.buffer);
    v.setUint32(0, Math.floor(t / 1e6), true);
    v.setUint32(4, t % 1e6, true);
    v.setUint32(8, incl, true);
    v.setUint32(12, frame.length, true);
    rec.set(frame.subarray(0, incl), RECORD_HEADER);
    this.chunks.push(rec);
    this.size += rec.length;
    this.frames++;
  }

  get count(): number {
    return this.frames;
  }

  get byteLength(): number {
    return this.size;
  }

  /** The whole capture file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export interface PcapHeader {
  magic: number;
  versionMajor: number;
  versionMinor: number;
  thiszone: number;
  sigfigs: number;
  snaplen: number;
  network: number;
}

export interface PcapRecord {
  tsSec: number;
  tsUsec: number;
  inclLen: number;
  origLen: number;
  data: Uint8Array;
}

/** Reads a classic little-endian microsecond pcap file (what PcapWriter writes); throws naming the offset on damage. */
export function parsePcap(file: Uint8Array): { header: PcapHeader; records: PcapRecord[] } {
  if (file.length < GLOBAL_HEADER) throw new Error(`pcap: ${file.length} bytes is shorter than the 24-byte global header`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = v.getUint32(0, true);
  if (magic !== PCAP_MAGIC) throw new Error(`pcap: magic 0x${magic.toString(16)} at offset 0 is not 0xa1b2c3d4 (little-endian, microseconds)`);
  const header: PcapHeader = {
    magic,
    versionMajor: v.getUint16(4, true),
    versionMinor: v.getUint16(6, true),
    thiszone: v.getInt32(8, true),
    sigfigs: v.getUint32(12, true),
    snaplen: v.getUint32(16, true),
    network: v.getUint32(20, true),
  };
  const records: PcapRecord[] = [];
  let at = GLOBAL_HEADER;
  while (at < file.length) {
    if (at + RECORD_HEADER > file.length) throw new Error(`pcap: record header at offset ${at} runs past the end`);
    const inclLen = v.getUint32(at + 8, true);
    if (at + RECORD_HEADER + inclLen > file.length) throw new Error(`pcap: record at offset ${at} claims ${inclLen} bytes, past the end`);
    records.push({
      tsSec: v.getUint32(at, true),
      tsUsec: v.getUint32(at + 4, true),
      inclLen,
      origLen: v.getUint32(at + 12, true),
      data: file.slice(at + RECORD_HEADER, at + RECORD_HEADER + inclLen),
    });
    at += RECORD_HEADER + inclLen;
  }
  return { header, records };
}
