// The server's stdio transport, with two guards the JSON-RPC library leaves out:
// - framing that resynchronises: a header without a valid Content-Length, an oversized one, or a
//   body that is not JSON is logged (on stderr, which the editor shows) and skipped up to the next
//   `Content-Length:` header, where the library would stop understanding the stream for good;
// - the LSP lifecycle: before `initialize`, requests are answered with ServerNotInitialized and
//   notifications dropped; after `shutdown`, requests are answered with InvalidRequest and
//   notifications dropped; `exit` always passes (the specification's rules).
import { Transform, type TransformCallback } from "node:stream";
import {
  AbstractMessageReader,
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from "vscode-languageserver/node";

/** Longest header block accepted, and longest body (a whole document's text fits with room). */
const MAX_HEADER_BYTES = 8 * 1024;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** Malformed input logged at most this often (a stream of garbage must not flood the log). */
const MAX_LOGGED = 50;

const HEADER_END = Buffer.from("\r\n\r\n", "ascii");

/** Re-frames the incoming byte stream: whole, well-formed messages out; anything else logged and skipped. */
export class ResyncingFramer extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private logged = 0;

  constructor(private readonly log: (text: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.frames();
    done();
  }

  private frames(): void {
    for (;;) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) this.skip(`a header longer than ${MAX_HEADER_BYTES} bytes`);
        else return;
        continue;
      }
      const header = this.buffer.subarray(0, end).toString("ascii");
      const length = contentLength(header);
      if (typeof length === "string") {
        this.skip(length);
        continue;
      }
      const total = end + HEADER_END.length + length;
      if (this.buffer.length < total) return;
      const body = this.buffer.subarray(end + HEADER_END.length, total);
      const frame = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      try {
        JSON.parse(body.toString("utf8"));
      } catch (error) {
        this.report(`a message body that is not JSON (${(error as Error).message}): dropped`);
        continue;
      }
      this.push(Buffer.from(frame));
    }
  }

  /** Drops input up to the next header (the last bytes are kept: they may start one). */
  private skip(why: string): void {
    this.report(`${why}: skipped to the next message`);
    const next = nextHeader(this.buffer, 1);
    this.buffer = next >= 0 ? this.buffer.subarray(next) : this.buffer.subarray(Math.max(1, this.buffer.length - 15));
  }

  private report(text: string): void {
    if (this.logged > MAX_LOGGED) return;
    this.logged++;
    this.log(this.logged > MAX_LOGGED ? "malformed input continues: no more of it is logged" : `malformed input on stdin: ${text}`);
  }
}

/** The Content-Length of a header block, or why the block is not a valid one. */
function contentLength(header: string): number | string {
  let length: number | string = "a header without Content-Length";
  for (const line of header.split("\r\n")) {
    const m = /^([A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (m === null) return `a malformed header line ${JSON.stringify(line.slice(0, 80))}`;
    if (m[1]!.toLowerCase() !== "content-length") continue;
    if (!/^\d+$/.test(m[2]!)) return `Content-Length ${JSON.stringify(m[2]!.slice(0, 40))} is not a number`;
    const n = Number(m[2]);
    if (n > MAX_BODY_BYTES) return `Content-Length ${n} is more than ${MAX_BODY_BYTES} bytes`;
    length = n;
  }
  return length;
}

/** Where the next `Content-Length` header starts (any case), at or after `from`; -1 if none. */
function nextHeader(buffer: Buffer, from: number): number {
  const lower = buffer.toString("latin1").toLowerCase();
  return lower.indexOf("content-length", from);
}

interface Incoming {
  id?: string | number | null;
  method?: string;
}

/** Applies the LSP lifecycle to what the client sends (see the header comment). */
export class LifecycleGate extends AbstractMessageReader implements MessageReader {
  private initialized = false;
  private shutDown = false;

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {
    super();
    inner.onError((error) => this.fireError(error));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  /** The client asked for shutdown (an exit after it ends the process with 0). */
  get shutdownRequested(): boolean {
    return this.shutDown;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message: Message) => {
      const m = message as Incoming;
      if (typeof m.method !== "string" || m.method === "exit") return callback(message);
      const request = m.id !== undefined && m.id !== null;
      if (!this.initialized && m.method !== "initialize") {
        if (request) this.refuse(m.id!, ErrorCodes.ServerNotInitialized, `the server is not initialized: ${m.method} before initialize`);
        return;
      }
      if (this.shutDown) {
        if (request) this.refuse(m.id!, ErrorCodes.InvalidRequest, `the server is shut down: ${m.method} after shutdown`);
        return;
      }
      if (m.method === "initialize") this.initialized = true;
      if (m.method === "shutdown") this.shutDown = true;
      callback(message);
    });
  }

  private refuse(id: string | number, code: number, text: string): void {
    void this.writer.write({ jsonrpc: "2.0", id, error: { code, message: text } } as Message).catch(() => undefined);
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }
}

/** Reader and writer for `--stdio`; the process ends when stdin does (0 after a shutdown, as the library's own stdio does). */
export function stdioTransport(log: (text: string) => void): { reader: LifecycleGate; writer: MessageWriter } {
  const writer = new StreamMessageWriter(process.stdout);
  const reader = new LifecycleGate(new StreamMessageReader(process.stdin.pipe(new ResyncingFramer(log))), writer);
  const end = (): never => process.exit(reader.shutdownRequested ? 0 : 1);
  process.stdin.on("end", end);
  process.stdin.on("close", end);
  return { reader, writer };
}
