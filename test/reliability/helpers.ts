// Shared by the reliability tests: temporary folders made (and removed) by the test itself, and
// drivers written into them that import the sample protocol.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after } from "node:test";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const sampleProtocol = path.join(repoRoot, "samples", "rtl8169", "protocol.ts");

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ad-${prefix}-`));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `body` as a driver file in `dir`, below an import of the sample Ethernet protocol. */
export function writeDriver(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  const header = `import { defineDriver } from "active-driver";\nimport { Ethernet } from ${JSON.stringify(sampleProtocol.replace(/\.ts$/, ""))};\n`;
  fs.writeFileSync(file, header + body);
  return file;
}

/** The 1-based line of the first line of `file` that contains `marker`. */
export function lineOf(file: string, marker: string): number {
  return (
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes(marker)) + 1
  );
}

/** A driver that, once opened, keeps 16 typed arrays of 256 MB (never written: address space, not resident memory), then serves on. */
export const TYPED_ARRAY_HOARD = `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  const hoard: Uint8Array[] = [];
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.close, d.mb.txTimeout, d.mb.unplug);
    if (r.name === "open") {
      for (let i = 0; i < 16; i++) {
        hoard.push(new Uint8Array(256 * 1024 * 1024)); // 256 MB outside the heap
        await d.sleep(1);
      }
      // Keeps them a while (500 ms of wall time, in 1 ms blocks between sleeps): long enough for any watchdog period.
      for (let i = 0; i < 500; i++) {
        Atomics.wait(pause, 0, 0, 1);
        await d.sleep(1);
      }
      d.send(d.mb.openComplete, { status: 0 });
    } else if (r.name === "close") d.send(d.mb.closeComplete, { status: 0 });
    else if (r.name === "unplug") return;
  }
});
`;

export interface Ran {
  status: number | null;
  /** The signal that ended it: SIGTERM when it outlived the bound. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the `active-driver` command line from its sources in `cwd`, ended after `boundMs` if still running. */
export function cli(args: readonly string[], cwd = repoRoot, boundMs = 120_000): Ran {
  const main = path.join(repoRoot, "cli", "src", "main.ts");
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", main, ...args], {
    cwd,
    encoding: "utf8",
    timeout: boundMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The language server from its sources over stdio, spoken to in raw bytes. */
export interface RawServer {
  /** Writes bytes as they are (a malformed frame included). */
  write(bytes: string): void;
  /** Writes one well-formed message. */
  send(message: object): void;
  /** Resolves with the first message from the server that `match` accepts (bounded by the test). */
  receive(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stderr(): string;
  exited: Promise<number | null>;
  kill(): void;
}

export function startRawServer(): RawServer {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", path.join(repoRoot, "server", "src", "server.ts"), "--stdio"], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let pending = Buffer.alloc(0);
  const received: Record<string, unknown>[] = [];
  const waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  const deliver = (): void => {
    for (let i = 0; i < waiters.length; i++) {
      const k = received.findIndex(waiters[i]!.match);
      if (k < 0) continue;
      const [message] = received.splice(k, 1);
      waiters.splice(i--, 1)[0]!.resolve(message!);
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf("\r\n\r\n");
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, end).toString())?.[1]);
      if (pending.length < end + 4 + length) break;
      received.push(JSON.parse(pending.subarray(end + 4, end + 4 + length).toString()) as Record<string, unknown>);
      pending = pending.subarray(end + 4 + length);
    }
    deliver();
  });
  const write = (bytes: string): void => {
    child.stdin.write(bytes);
  };
  return {
    write,
    send: (message) => {
      const body = JSON.stringify({ jsonrpc: "2.0", ...message });
      write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
    receive: (match) =>
      new Promise((resolve) => {
        waiters.push({ match, resolve });
        deliver();
      }),
    stderr: () => stderr,
    exited,
    kill: () => child.kill(),
  };
}
