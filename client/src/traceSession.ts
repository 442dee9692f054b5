// The trace the views show: events of the last run or of the live debug session, the event the
// debugger stands at, and the protocol's state machine. The panels render it; runs and debug
// sessions feed it. One per extension (owned by Ctx).
import * as vscode from "vscode";
import type { TraceEvent } from "../../runtime/src/trace";
import type { CoverageMessage, HostToWebview, ProtocolMessage } from "../views/shared/messages";

/** Where the trace came from: names export files and panel titles. */
export interface TraceOrigin {
  /** Absolute path of the driver file. */
  driver: string;
  scenario: string;
  seed: number;
  /** "run" (Run Driver command) or "debug" (a debug session). */
  kind: "run" | "debug";
}

export type ProtocolView = Omit<ProtocolMessage, "type">;

export class TraceSession implements vscode.Disposable {
  private events: TraceEvent[] = [];
  private current: { seq: number | null; state?: string } = { seq: null };
  private protocolView: ProtocolView | undefined;
  private originValue: TraceOrigin | undefined;
  private coverageView: CoverageMessage | undefined;
  private coverageDriverPath: string | undefined;
  private readonly changes = new vscode.EventEmitter<HostToWebview>();
  /** Each change, as the message the webviews take. */
  readonly onDidChange = this.changes.event;

  get origin(): TraceOrigin | undefined {
    return this.originValue;
  }

  get trace(): readonly TraceEvent[] {
    return this.events;
  }

  get protocol(): ProtocolView | undefined {
    return this.protocolView;
  }

  /** Starts a new trace (a new run or debug session): views clear. */
  reset(origin: TraceOrigin | undefined): void {
    this.originValue = origin;
    this.events = [];
    this.current = { seq: null };
    this.changes.fire({ type: "events", events: [], reset: true });
    this.changes.fire({ type: "current", seq: null });
  }

  append(events: readonly TraceEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.events.push(e);
    this.changes.fire({ type: "events", events: [...events] });
  }

  /** Replaces the whole trace (step back replays from the seed and may rewrite the tail). */
  replace(events: readonly TraceEvent[]): void {
    this.events = [...events];
    this.changes.fire({ type: "events", events: [...events], reset: true });
  }

  setCurrent(seq: number | null, state?: string): void {
    this.current = state === undefined ? { seq } : { seq, state };
    this.changes.fire({ type: "current", ...this.current });
    if (state !== undefined && this.protocolView !== undefined && this.protocolView.current !== state) {
      this.setProtocol({ ...this.protocolView, current: state });
    }
  }

  setProtocol(protocol: ProtocolView): void {
    this.protocolView = protocol;
    this.changes.fire({ type: "protocol", ...protocol });
  }

  /** What the last exploration of the driver at `driverPath` covered (the state machine view lights it); undefined clears it. */
  setCoverage(coverage: Omit<CoverageMessage, "type"> | undefined, driverPath?: string): void {
    this.coverageView = coverage === undefined ? undefined : { type: "coverage", ...coverage };
    this.coverageDriverPath = coverage === undefined ? undefined : driverPath;
    this.changes.fire(this.coverageView ?? { type: "coverage", transitions: [], unreached: [] });
  }

  get coverage(): CoverageMessage | undefined {
    return this.coverageView;
  }

  /** Absolute path of the driver whose exploration the coverage is. */
  get coverageDriver(): string | undefined {
    return this.coverageDriverPath;
  }

  /** Everything a freshly loaded view needs, in order. */
  snapshot(view: "traffic" | "machine"): HostToWebview[] {
    const out: HostToWebview[] = [];
    if (this.protocolView !== undefined) out.push({ type: "protocol", ...this.protocolView });
    if (view === "traffic") out.push({ type: "events", events: this.events, reset: true });
    if (view === "machine" && this.coverageView !== undefined) out.push(this.coverageView);
    out.push({ type: "current", ...this.current });
    return out;
  }

  dispose(): void {
    this.changes.dispose();
  }
}
