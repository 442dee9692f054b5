// Where is a stuck worker spinning? Before the watchdog terminates a driver worker, it attaches
// the inspector to that worker (NodeWorker domain of this thread's session), pauses it, and maps
// the first paused frame in the driver's sources back to the .ts line through the inline source
// map. Best effort: any failure or a slow answer gives `undefined`, and the worker dies anyway.
import * as inspector from "node:inspector";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { SourceLocation } from "../trace";

interface CallFrame {
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

interface InspectorMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
}

/** Pauses `worker` and returns the driver source line it was running, or undefined. */
export function locateSpin(worker: Worker, files: readonly string[], timeoutMs = 700): Promise<SourceLocation | undefined> {
  const wanted = new Set(files);
  return new Promise((resolve) => {
    let session: inspector.Session;
    try {
      session = new inspector.Session();
      session.connect();
    } catch {
      resolve(undefined);
      return;
    }
    const scripts = new Map<string, { file: string; sourceMapURL: string }>();
    let sessionId: string | undefined;
    let nextId = 0;
    let done = false;
    const send = (method: string, params: Record<string, unknown> = {}): void => {
      if (sessionId === undefined) return;
      session.post("NodeWorker.sendMessageToWorker", { sessionId, message: JSON.stringify({ id: ++nextId, method, params }) }, () => {});
    };
    const finish = (loc: SourceLocation | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Resume (disable) and detach before anyone terminates the worker: a paused worker does not die.
      send("Debugger.disable");
      const close = (): void => {
        try {
          session.disconnect();
        } catch {
          // already gone
        }
        resolve(loc);
      };
      if (sessionId === undefined) close();
      else session.post("NodeWorker.detach", { sessionId }, close);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);

    session.on("NodeWorker.attachedToWorker", (message: { params: { sessionId: string; workerInfo: { workerId: string; title: string } } }) => {
      const { params } = message;
      // The inspector numbers workers its own way; the title carries the thread id ("[worker 3]").
      if (params.workerInfo.title !== `[worker ${worker.threadId}]` || sessionId !== undefined) {
        session.post("NodeWorker.detach", { sessionId: params.sessionId }, () => {});
        return;
      }
      sessionId = params.sessionId;
      send("Debugger.enable");
      send("Debugger.pause");
    });
    session.on("NodeWorker.receivedMessageFromWorker", (message: { params: { sessionId: string; message: string } }) => {
      if (message.params.sessionId !== sessionId) return;
      const m = JSON.parse(message.params.message) as InspectorMessage;
      if (m.method === "Debugger.scriptParsed") {
        const p = m.params as { scriptId: string; url: string; sourceMapURL?: string };
        const file = p.url.startsWith("file://") ? fileURLToPath(p.url) : p.url;
        if (wanted.has(file)) scripts.set(p.scriptId, { file, sourceMapURL: p.sourceMapURL ?? "" });
      } else if (m.method === "Debugger.paused") {
        const frames = (m.params as { callFrames: CallFrame[] }).callFrames;
        let loc: SourceLocation | undefined;
        for (const frame of frames) {
          const script = scripts.get(frame.location.scriptId);
          if (script === undefined) continue;
          loc = mapLocation(script.file, script.sourceMapURL, frame.location.lineNumber, frame.location.columnNumber);
          break;
        }
        finish(loc);
      }
    });
    session.post("NodeWorker.enable", { waitForDebuggerOnStart: false }, (error) => {
      if (error !== null) finish(undefined);
    });
  });
}

/** A 0-based position in the transpiled code, as a 1-based .ts location (the generated one without a map). */
function mapLocation(file: string, sourceMapURL: string, line: number, column: number): SourceLocation {
  const prefix = "data:application/json;base64,";
  if (sourceMapURL.startsWith(prefix)) {
    try {
      const payload = JSON.parse(Buffer.from(sourceMapURL.slice(prefix.length), "base64").toString("utf8")) as ConstructorParameters<typeof SourceMap>[0];
      const entry = new SourceMap(payload).findEntry(line, column) as { originalLine?: number; originalColumn?: number };
      if (entry.originalLine !== undefined && entry.originalColumn !== undefined)
        return { file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    } catch {
      // fall through to the generated position
    }
  }
  return { file, line: line + 1, column: column + 1 };
}
