// The Active Driver debug adapter: translates DAP to the runtime (runtime.ts) and back, as
// mock-debug's MockDebugSession does for MockRuntime. Runs inline in the extension host
// (vscode.DebugAdapterInlineImplementation) and on stdio (debugAdapter.ts). No `vscode` import.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BreakpointEvent,
  Event,
  ExitedEvent,
  Handles,
  InitializedEvent,
  Logger,
  LoggingDebugSession,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  logger,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { SourceLocation } from "active-driver";
import { debugEventNames, type CurrentEventBody, type ProtocolEventBody, type TraceEventBody } from "./customEvents";
import { DriverDebugRuntime, LaunchError, NIC_THREAD_ID, OS_THREAD_ID, type BreakpointVerdict, type StartArgs, type StopInfo } from "./runtime";
import { driverEntry, driverThreadFrames, nicFrames, osFrames, passiveThreadFrames, type PlainFrame } from "./frames";
import { breakpointPlaces } from "./breakpointLines";
import { exceptionFilterOf } from "./stops";
import { StopInspection } from "./variables";
import type { ExceptionFilter, Snapshot } from "./worker/messages";
import { conditionSource, syntaxError } from "./breakpointOptions";
import { launchProblem, type LaunchArguments } from "./launchConfig";
import { replayLaunch } from "./replay";
import { defined } from "../../../runtime/src/defined";

/** Custom request: go to the first delivery after a trace event (body `{ seq }`). */
export const goToEventRequest = "activeDriver.goToEvent";

/** Trace events per custom event (the traffic view takes them in batches). */
const TRACE_CHUNK = 5000;
/** How long launch waits for configurationDone from a client that never sends it. */
const CONFIGURATION_GRACE_MS = 5000;

const ErrorCode = { badLaunch: 2001, notStopped: 2002, notAvailable: 2003, launchFailed: 2004, internal: 2005 } as const;

interface VariableNode {
  value: unknown;
  /** Expression that evaluates to it (for watch and copy). */
  path: string;
}

export class ActiveDriverDebugSession extends LoggingDebugSession {
  private readonly runtime = new DriverDebugRuntime();
  private readonly handles = new Handles<VariableNode>();
  private inspection: { stop: StopInfo; inspection: Promise<StopInspection> } | undefined;
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => {
    this.configurationDone = resolve;
  });

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    const rt = this.runtime;
    rt.on("stopped", (stop) => this.onStopped(stop));
    rt.on("trace", (events, reset) => {
      if (events.length === 0 && reset) this.sendCustom<TraceEventBody>(debugEventNames.trace, { events: [], reset: true });
      for (let i = 0; i < events.length; i += TRACE_CHUNK) {
        this.sendCustom<TraceEventBody>(debugEventNames.trace, { events: events.slice(i, i + TRACE_CHUNK), ...(reset && i === 0 ? { reset: true } : {}) });
      }
    });
    rt.on("current", (seq, state) => this.sendCustom<CurrentEventBody>(debugEventNames.current, state === undefined ? { seq } : { seq, state }));
    rt.on("protocol", (p) =>
      this.sendCustom<ProtocolEventBody>(debugEventNames.protocol, {
        name: p.name,
        states: p.states,
        initial: p.initial,
        current: p.initial,
        directions: p.directions,
      }),
    );
    rt.on("output", (text, category, loc) => this.sendEvent(this.output(text, category, loc)));
    rt.on("breakpoint", (verdict) => this.sendEvent(new BreakpointEvent("changed", this.breakpoint(verdict))));
    rt.on("end", (code) => {
      this.sendEvent(new ExitedEvent(code));
      this.sendEvent(new TerminatedEvent());
    });
  }

  /** The runtime under this session (tests look at it; the extension does not need it). */
  get driverRuntime(): DriverDebugRuntime {
    return this.runtime;
  }

  // ------------------------------------------------------------------ events

  private sendCustom<T>(name: string, body: T): void {
    this.sendEvent(new Event(name, body));
  }

  private source(file: string): Source {
    return new Source(path.basename(file), this.convertDebuggerPathToClient(file));
  }

  private output(text: string, category: string, loc: SourceLocation | undefined): DebugProtocol.OutputEvent {
    const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
    if (loc !== undefined) {
      event.body.source = this.source(loc.file);
      event.body.line = this.convertDebuggerLineToClient(loc.line);
      event.body.column = this.convertDebuggerColumnToClient(loc.column);
    }
    return event;
  }

  /** The driver thread a stop is reported on. */
  private stopThreadName(stop: StopInfo): string | undefined {
    return stop.thread ?? stop.delivery?.thread ?? this.runtime.driverThreads()[0]?.name;
  }

  private onStopped(stop: StopInfo): void {
    this.handles.reset();
    this.inspection = undefined;
    const name = this.stopThreadName(stop);
    const threadId = name !== undefined ? this.runtime.threadId(name) : OS_THREAD_ID;
    const event = new StoppedEvent(stop.reason, threadId, stop.text) as DebugProtocol.StoppedEvent;
    event.body.description = stop.text;
    event.body.allThreadsStopped = true;
    if (stop.breakpointId !== undefined) event.body.hitBreakpointIds = [stop.breakpointId];
    this.sendEvent(event);
  }

  /** An error response. `variables: {}`: payload text holds braces, which must not be taken for `{placeholders}`. */
  private fail(response: DebugProtocol.Response, id: number, text: string, showUser: boolean): void {
    this.sendErrorResponse(response, { id, format: text, showUser, variables: {} });
  }

  /** Runs an async request handler; an unexpected error becomes the request's error response. */
  private respondLater(response: DebugProtocol.Response, work: () => Promise<void>): void {
    work().catch((error: unknown) => {
      this.fail(response, ErrorCode.internal, `Active Driver: ${error instanceof Error ? error.message : String(error)}`, false);
    });
  }

  // ------------------------------------------------------------------ lifecycle requests

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: true,
      supportsExceptionInfoRequest: true,
      // Line and function breakpoints alike: conditions see the message delivered or sent there
      // (breakpointOptions.ts), hit counts count from the start of the run, also after replays.
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      // The gutter's candidates: the wait/send calls (and passive entry points) of the lines asked about.
      supportsBreakpointLocationsRequest: true,
      // Conditions on them: JavaScript over the fault (exceptionConditions.ts).
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: [
        {
          filter: "protocol",
          label: "Protocol violations",
          description: "A message the protocol does not allow in the current state (unhandled, illegal send, enabled but not waited on).",
          default: false,
          supportsCondition: true,
          conditionDescription: 'JavaScript over the violation, e.g. kind === "illegal-send" && name === "closeComplete" (also thread, state, time, summary)',
        },
        {
          filter: "error",
          label: "Driver errors",
          description: "The driver threw, or was stopped for not waiting (cooperative scheduling broken).",
          default: false,
          supportsCondition: true,
          conditionDescription: "JavaScript over the error, e.g. /RangeError/.test(summary) (also kind, thread, time)",
        },
      ],
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse, args: DebugProtocol.ConfigurationDoneArguments): void {
    super.configurationDoneRequest(response, args);
    this.configurationDone();
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.respondLater(response, () => this.handleLaunch(response, args));
  }

  private async handleLaunch(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    logger.setup(Logger.LogLevel.Stop, false);
    const problem = launchProblem(args);
    if (problem !== undefined) {
      this.fail(response, ErrorCode.badLaunch, `Active Driver: cannot launch: ${problem}`, true);
      return;
    }
    // Breakpoints arrive between initialized and configurationDone: wait for them before running.
    await Promise.race([this.configured, new Promise<void>((resolve) => setTimeout(resolve, CONFIGURATION_GRACE_MS).unref())]);
    let start: StartArgs;
    try {
      start = this.startArgs(args);
    } catch (error) {
      // An unreadable or invalid schedule file: the message names the file and the cause.
      this.fail(response, ErrorCode.launchFailed, `Active Driver: cannot replay: ${error instanceof Error ? error.message : String(error)}`, true);
      this.sendEvent(new TerminatedEvent());
      return;
    }
    try {
      await this.runtime.start(start);
      this.sendResponse(response);
    } catch (error) {
      const text = error instanceof LaunchError ? describeLaunchError(error) : String(error);
      this.fail(response, ErrorCode.launchFailed, `Active Driver: ${text}`, true);
      await this.runtime.terminate();
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): void {
    this.respondLater(response, () => this.handleRestart(response, args));
  }

  private async handleRestart(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    // VS Code passes the (possibly edited) launch configuration; without it, the same run again.
    const next = args?.arguments as LaunchArguments | undefined;
    const problem = next !== undefined ? launchProblem(next) : undefined;
    if (problem !== undefined) {
      this.fail(response, ErrorCode.badLaunch, `Active Driver: cannot restart: ${problem}`, true);
      return;
    }
    try {
      if (next?.driver !== undefined || next?.replay !== undefined) {
        const start = this.startArgs(next);
        await this.runtime.terminate();
        await this.runtime.start(start);
      } else await this.runtime.restart();
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, ErrorCode.launchFailed, `Active Driver: ${error instanceof LaunchError ? describeLaunchError(error) : String(error)}`, true);
    }
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.respondLater(response, () => this.handleTerminate(response));
  }

  private async handleTerminate(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.runtime.terminate();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.respondLater(response, () => this.handleDisconnect(response, args));
  }

  private async handleDisconnect(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    await this.runtime.terminate();
    super.disconnectRequest(response, args);
  }

  // ------------------------------------------------------------------ breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const file = args.source.path;
    const requests = (args.breakpoints ?? args.lines?.map((line) => ({ line })) ?? []).map((b) => ({ ...b, line: this.convertClientLineToDebugger(b.line) }));
    if (file === undefined) {
      response.body = { breakpoints: requests.map(() => ({ verified: false, message: "the source has no file path" })) };
      this.sendResponse(response);
      return;
    }
    const verdicts = this.runtime.setLineBreakpoints(this.convertClientPathToDebugger(file), requests);
    response.body = { breakpoints: verdicts.map((v) => this.breakpoint(v)) };
    this.sendResponse(response);
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const file = args.source.path;
    let text: string | undefined;
    try {
      text = file === undefined ? undefined : fs.readFileSync(this.convertClientPathToDebugger(file), "utf8");
    } catch {
      text = undefined; // an unreadable source has no places; setBreakpoints says why
    }
    const from = this.convertClientLineToDebugger(args.line);
    const to = this.convertClientLineToDebugger(args.endLine ?? args.line);
    const places = text === undefined ? [] : breakpointPlaces(text, from, to);
    response.body = {
      breakpoints: places.map((p) => ({ line: this.convertDebuggerLineToClient(p.line), column: this.convertDebuggerColumnToClient(p.column) })),
    };
    this.sendResponse(response);
  }

  /** A breakpoint as DAP shows it; line breakpoints carry their source and line. */
  private breakpoint(v: BreakpointVerdict): DebugProtocol.Breakpoint {
    const bp: DebugProtocol.Breakpoint = { id: v.id, verified: v.verified };
    if (v.file !== undefined && v.line !== undefined) {
      bp.source = this.source(v.file);
      bp.line = this.convertDebuggerLineToClient(v.line);
    }
    if (v.message !== undefined) bp.message = v.message;
    return bp;
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    const verdicts = this.runtime.setFunctionBreakpoints(args.breakpoints);
    response.body = { breakpoints: verdicts.map((v) => this.breakpoint(v)) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    // One verdict per filter, in the order given: plain filters first, then those with options.
    const plain = args.filters.map((filterId): DebugProtocol.ExceptionFilterOptions => ({ filterId }));
    const verdicts: DebugProtocol.Breakpoint[] = [];
    const filters: string[] = [];
    const conditions: Partial<Record<ExceptionFilter, string>> = {};
    for (const option of [...plain, ...(args.filterOptions ?? [])]) {
      const condition = option.condition?.trim();
      const problem = condition === undefined || condition === "" ? undefined : syntaxError(conditionSource(condition));
      if (problem !== undefined) {
        verdicts.push({ verified: false, message: `condition ${JSON.stringify(condition)}: ${problem}` });
        continue;
      }
      verdicts.push({ verified: true });
      filters.push(option.filterId);
      if (condition !== undefined && condition !== "" && (option.filterId === "protocol" || option.filterId === "error"))
        conditions[option.filterId] = condition;
    }
    this.runtime.setExceptionFilters(filters, conditions);
    response.body = { breakpoints: verdicts };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ execution

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    void this.runtime.continue().catch((error: unknown) => this.replayFailed(error));
  }

  /** A step needs a stopped run: while the driver runs, the request is answered with an error (DAP leaves it to the adapter; dropping it silently would look like success). */
  private refusedWhileRunning(response: DebugProtocol.Response, what: string): boolean {
    if (!this.runtime.isRunning) return false;
    this.sendErrorResponse(response, { id: 2001, format: `${what} needs a stopped driver: it is running (pause it first)`, showUser: false });
    return true;
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    if (this.refusedWhileRunning(response, "Next")) return;
    this.sendResponse(response);
    void this.runtime.next().catch((error: unknown) => this.replayFailed(error));
  }

  /** Step in and step out are message steps too: a message is the unit of execution here. */
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    if (this.refusedWhileRunning(response, "Step in")) return;
    this.sendResponse(response);
    void this.runtime.next().catch((error: unknown) => this.replayFailed(error));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    if (this.refusedWhileRunning(response, "Step out")) return;
    this.sendResponse(response);
    void this.runtime.next().catch((error: unknown) => this.replayFailed(error));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    if (this.refusedWhileRunning(response, "Step back")) return;
    this.sendResponse(response);
    void this.runtime.stepBack().catch((error: unknown) => this.replayFailed(error));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (this.refusedWhileRunning(response, "Reverse continue")) return;
    this.sendResponse(response);
    void this.runtime.reverseContinue().catch((error: unknown) => this.replayFailed(error));
  }

  /** A replay (step back, or recounting hits before a move: runtime.ts) could not start the driver again. */
  private replayFailed(error: unknown): void {
    const text = error instanceof LaunchError ? describeLaunchError(error) : String(error);
    this.sendEvent(this.output(`The replay could not start: ${text}\n`, "stderr", undefined));
    this.sendEvent(new TerminatedEvent());
  }

  /** `activeDriver.goToEvent { seq }`: the traffic view asks to stand at one of its events (by replay when it lies behind). */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== goToEventRequest) {
      super.customRequest(command, response, args);
      return;
    }
    const seq = (args as { seq?: unknown } | undefined)?.seq;
    if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 0) {
      this.fail(response, ErrorCode.badLaunch, `${goToEventRequest}: "seq" must be a trace event number`, false);
      return;
    }
    this.sendResponse(response);
    void this.runtime.goToEvent(seq).catch((error: unknown) => this.replayFailed(error));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.runtime.pause();
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ inspection

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.respondLater(response, () => this.handleThreads(response));
  }

  private async handleThreads(response: DebugProtocol.ThreadsResponse): Promise<void> {
    if (this.runtime.stop !== undefined) {
      try {
        for (const t of (await this.runtime.snapshot()).threads) this.runtime.threadId(t.name);
      } catch {
        // the list seen so far will do
      }
    }
    const threads = this.runtime.driverThreads().map((t) => new Thread(t.id, t.name));
    threads.push(new Thread(OS_THREAD_ID, "OS side"), new Thread(NIC_THREAD_ID, "NIC"));
    response.body = { threads };
    this.sendResponse(response);
  }

  private async currentInspection(): Promise<StopInspection> {
    const stop = this.runtime.stop;
    if (stop === undefined) throw new Error("the driver is running: pause it to inspect it");
    if (this.inspection === undefined || this.inspection.stop !== stop)
      this.inspection = { stop, inspection: this.runtime.snapshot().then((s) => new StopInspection(s)) };
    return this.inspection.inspection;
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.respondLater(response, () => this.handleStackTrace(response, args));
  }

  private async handleStackTrace(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    const stop = this.runtime.stop;
    if (stop === undefined) {
      this.fail(response, ErrorCode.notStopped, "the driver is running", false);
      return;
    }
    let snapshot: Snapshot;
    try {
      snapshot = (await this.currentInspection()).snapshot;
    } catch (error) {
      this.fail(response, ErrorCode.notAvailable, String(error), false);
      return;
    }
    const frames = this.framesOf(args.threadId, stop, snapshot);
    const start = args.startFrame ?? 0;
    const count = args.levels !== undefined && args.levels > 0 ? args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, start + count), totalFrames: frames.length };
    this.sendResponse(response);
  }

  private frame(id: number, frame: PlainFrame): StackFrame {
    const loc = frame.loc;
    const out =
      loc === undefined
        ? new StackFrame(id, frame.name)
        : new StackFrame(id, frame.name, this.source(loc.file), this.convertDebuggerLineToClient(loc.line), this.convertDebuggerColumnToClient(loc.column));
    if (frame.hint !== undefined) (out as DebugProtocol.StackFrame).presentationHint = frame.hint;
    return out;
  }

  /** Frames of a thread, with ids unique within the stop (thread id * 1000 + depth). */
  private framesOf(threadId: number, stop: StopInfo, snapshot: Snapshot): StackFrame[] {
    let plain: PlainFrame[];
    if (threadId === OS_THREAD_ID) plain = osFrames(snapshot);
    else if (threadId === NIC_THREAD_ID) plain = nicFrames(snapshot);
    else {
      const name = this.runtime.threadName(threadId);
      if (name === undefined) return [];
      const entryFile = this.runtime.files[0];
      const entry = (): SourceLocation | undefined => (entryFile !== undefined ? driverEntry(entryFile) : undefined);
      const stopped = this.stopThreadName(stop) === name;
      plain =
        this.runtime.model === "passive"
          ? passiveThreadFrames(name, stop, stopped, snapshot, (e) => this.runtime.entryPoint(e), entry)
          : driverThreadFrames(name, stop, stopped, snapshot, entry);
    }
    return plain.map((f, i) => this.frame(threadId * 1000 + i, f));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    this.respondLater(response, () => this.handleScopes(response));
  }

  private async handleScopes(response: DebugProtocol.ScopesResponse): Promise<void> {
    try {
      const inspection = await this.currentInspection();
      response.body = { scopes: inspection.scopes.map((s) => new Scope(s.name, this.handles.create({ value: s.value, path: s.prefix }), s.expensive)) };
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, ErrorCode.notAvailable, String(error), false);
    }
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.respondLater(response, () => this.handleVariables(response, args));
  }

  private async handleVariables(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    const node = this.handles.get(args.variablesReference);
    if (node === undefined || node.value === null || typeof node.value !== "object") {
      response.body = { variables: [] };
      this.sendResponse(response);
      return;
    }
    const inspection = await this.currentInspection().catch(() => undefined);
    const entries = Array.isArray(node.value) ? node.value.map((v, i) => [String(i), v] as const) : Object.entries(node.value as Record<string, unknown>);
    const start = args.start ?? 0;
    const slice = args.count !== undefined && args.count > 0 ? entries.slice(start, start + args.count) : entries.slice(start);
    response.body = {
      variables: slice
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => {
          const childPath = /^\d+$/.test(key) ? `${node.path}[${key}]` : /^[A-Za-z_$#][\w$#-]*$/.test(key) ? `${node.path}.${key}` : `${node.path}["${key}"]`;
          return this.variable(key, v, childPath, inspection);
        }),
    };
    this.sendResponse(response);
  }

  private variable(name: string, value: unknown, at: string, inspection: StopInspection | undefined): DebugProtocol.Variable {
    const isObject = value !== null && typeof value === "object";
    const variable: DebugProtocol.Variable = {
      name,
      value: inspection?.describe(value) ?? String(value),
      type: Array.isArray(value) ? "array" : typeof value,
      variablesReference: isObject ? this.handles.create({ value, path: at }) : 0,
      evaluateName: at,
    };
    if (Array.isArray(value)) variable.indexedVariables = value.length;
    return variable;
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.respondLater(response, () => this.handleEvaluate(response, args));
  }

  private async handleEvaluate(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    let inspection: StopInspection;
    try {
      inspection = await this.currentInspection();
    } catch (error) {
      this.fail(response, ErrorCode.notStopped, String(error), false);
      return;
    }
    const found = inspection.evaluate(args.expression);
    if (found === undefined) {
      this.fail(
        response,
        ErrorCode.notAvailable,
        `"${args.expression}" is not available: try state, delivery, mailboxes.NAME, protocol.enabled, device.REGISTER, a register name, threads.NAME or trace`,
        false,
      );
      return;
    }
    const v = this.variable(found.path, found.value, found.path, inspection);
    response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference };
    if (v.indexedVariables !== undefined) response.body.indexedVariables = v.indexedVariables;
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.runtime.stop;
    const event = stop?.event;
    if (stop === undefined || stop.reason !== "exception") {
      this.fail(response, ErrorCode.notAvailable, "not stopped on an exception", false);
      return;
    }
    const filter = event !== undefined ? exceptionFilterOf(event) : undefined;
    response.body = {
      exceptionId: event?.fault ?? "fault",
      description: stop.text,
      breakMode: "always",
      details: {
        message: event?.detail ?? stop.text,
        typeName: filter === "protocol" ? "Protocol violation" : "Driver error",
        ...defined({ stackTrace: event?.loc && `at ${event.loc.file}:${event.loc.line}:${event.loc.column}` }),
      },
    };
    this.sendResponse(response);
  }

  /** The runtime's start arguments; a replay's schedule is read here (its warnings go to the debug console). */
  private startArgs(args: LaunchArguments): StartArgs {
    if (args.replay === undefined) return startArgs(args);
    const launch = replayLaunch(path.resolve(args.replay), {
      ...defined({ driver: args.driver }),
      ...defined({ scenario: args.scenario }),
      ...defined({ seed: args.seed }),
    });
    for (const warning of launch.warnings) this.sendEvent(this.output(`${warning}\n`, "important", undefined));
    return {
      driver: launch.driver,
      scenario: launch.scenario,
      seed: launch.seed,
      stopOnEntry: args.stopOnEntry ?? false,
      replay: launch.replay,
      ...(args.trace !== undefined ? { trace: path.resolve(args.trace) } : {}),
    };
  }
}

/** The runtime's start arguments from a checked launch configuration (defaults of the contract). */
function startArgs(args: LaunchArguments): StartArgs {
  return {
    driver: path.resolve(args.driver!),
    scenario: args.scenario ?? "default",
    seed: args.seed ?? 1,
    stopOnEntry: args.stopOnEntry ?? false,
    ...defined({ trace: args.trace === undefined ? undefined : path.resolve(args.trace) }),
  };
}

function describeLaunchError(error: LaunchError): string {
  const info = error.info;
  if (info.kind === "load") return `cannot load the driver: ${info.message}`;
  return info.message;
}
