// The launch configuration's "replay": a schedule file's choices drive the run (the trace is the
// recorded run's, event for event, whatever the seed), the session stops at the failing event naming
// the failure, step back from there replays the same choices, a changed driver is said in the debug
// console, and an unreadable schedule fails the launch naming the file and the cause.
import { test, describe, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { AnyDriverDefinition, DriverInstance, TraceEvent } from "active-driver";
import { RecordingChooser, seededChooser, sha256File, writeScheduleFile, type ScheduleFile } from "active-driver/explore";
import { runScenario } from "active-driver/nic";
import { loadDriver } from "../../runtime/src/workers/loader";
import { runExplore } from "../../client/src/testing/exploreProcess";
import { exploreArguments } from "../../client/src/testing/report";
import { evaluate, fixture, FEW_FRAMES, lineOf, ROOT, startInline, stopAfter, whereAmI, type Client } from "./helpers";

/** The CLI as built (`node esbuild.js`), which the Test Explorer runs. */
const CLI = path.join(ROOT, "dist", "cli.js");

const TIMEOUT = { timeout: 180_000 };
/** The recorded run's seed; the schedule says another, to show the choices, not the seed, drive the replay. */
const RECORDED_SEED = 7;

interface Recording {
  choices: number[];
  events: TraceEvent[];
  failure: TraceEvent;
}

/** Runs `driver` in this process with a recording chooser: its choices, trace and first fault. */
async function record(driver: string, seed: number): Promise<Recording> {
  const loaded = loadDriver(driver).driver as AnyDriverDefinition;
  const chooser = new RecordingChooser(seededChooser(seed));
  let instance: DriverInstance | undefined;
  await runScenario(loaded, FEW_FRAMES, { seed, chooser, trace: true, onLaunch: (inst) => (instance = inst as DriverInstance) });
  const events = [...instance!.trace];
  const failure = events.find((e) => e.kind === "fault");
  assert.ok(failure !== undefined, `${driver} fails on ${FEW_FRAMES}`);
  return { choices: chooser.choices, events, failure };
}

function schedule(dir: string, driver: string, recording: Recording, extra: Partial<ScheduleFile> = {}): string {
  const file = path.join(dir, `${path.basename(driver, ".ts")}.few-frames.1.schedule.json`);
  writeScheduleFile(file, {
    format: "active-driver-schedule",
    version: 1,
    driver: { path: path.relative(dir, driver), sha256: sha256File(driver) },
    scenario: path.relative(dir, FEW_FRAMES),
    strategy: "random",
    seed: 1,
    choices: recording.choices,
    failure: { kind: recording.failure.fault ?? "fault", message: recording.failure.detail ?? "", timeUs: recording.failure.time, seq: recording.failure.seq },
    ...extra,
  });
  return file;
}

/** initialize, launch with `args`, configurationDone; resolves with the launch response and the first stop (or the error). */
async function launchReplay(
  dc: Client["dc"],
  args: Record<string, unknown>,
): Promise<{ stop: Promise<DebugProtocol.StoppedEvent>; launched: Promise<DebugProtocol.LaunchResponse> }> {
  const initialized = dc.waitForEvent("initialized");
  const stop = dc.waitForEvent("stopped") as Promise<DebugProtocol.StoppedEvent>;
  stop.catch(() => undefined);
  await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
  await initialized;
  const launched = dc.launchRequest({ type: "active-driver", request: "launch", ...args } as DebugProtocol.LaunchRequestArguments);
  launched.catch(() => undefined);
  await dc.configurationDoneRequest();
  return { stop, launched };
}

/** Debug console lines of category `category` seen from now on. */
function consoleLines(dc: Client["dc"], category: string): string[] {
  const lines: string[] = [];
  dc.on("output", (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === category) lines.push(e.body.output);
  });
  return lines;
}

/** The session's trace as its `activeDriver.trace` events carry it (a reset starts over). */
function sessionTrace(dc: Client["dc"]): TraceEvent[] {
  const events: TraceEvent[] = [];
  dc.on("activeDriver.trace", (e: DebugProtocol.Event) => {
    const body = e.body as { events: TraceEvent[]; reset?: boolean };
    if (body.reset === true) events.length = 0;
    events.push(...body.events);
  });
  return events;
}

const traceLines = (file: string): TraceEvent[] =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as TraceEvent);

describe("debugger replay of a schedule file", () => {
  let dir = "";
  let driver = "";
  let recording: Recording;
  let client: Client | undefined;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-replay-"));
    // A copy, so that a test can change it; the protocol it imports comes along.
    for (const name of ["illegal.ts", "protocol.ts"]) fs.copyFileSync(fixture(name), path.join(dir, name));
    driver = path.join(dir, "illegal.ts");
    recording = await record(driver, RECORDED_SEED);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  test("the choices drive the run: a run of the schedule's seed alone differs from the recorded one", TIMEOUT, async () => {
    const bySeed = await record(driver, 1);
    assert.notDeepEqual(
      bySeed.events.map((e) => e.time),
      recording.events.map((e) => e.time),
      "seed 1 and seed 7 interleave differently (else this test proves nothing)",
    );
  });

  test("stops at the failing event, naming the failure; the trace is the recorded run's; step back replays the same choices", TIMEOUT, async () => {
    const file = schedule(dir, driver, recording);
    const trace = path.join(dir, "replay.jsonl");
    client = await startInline();
    const { dc } = client;
    const live = sessionTrace(dc);
    const { stop, launched } = await launchReplay(dc, { replay: file, stopOnEntry: false, trace });
    await launched;
    const stopped = await stop;
    assert.equal(stopped.body.reason, "exception");
    assert.match(stopped.body.text ?? "", new RegExp(`^Replayed failure \\(illegal\\.few-frames\\.1\\.schedule\\.json\\): ${recording.failure.fault}: `));
    const info = await dc.exceptionInfoRequest({ threadId: stopped.body.threadId! });
    assert.equal(info.body.details?.message, recording.failure.detail, "the failing event's own detail");

    const replayed = [...live];
    assert.ok(replayed.length > recording.failure.seq, "the trace reaches the failing event");
    const upTo = (events: TraceEvent[]) => events.filter((e) => e.seq <= recording.failure.seq).map((e) => JSON.stringify({ ...e, loc: undefined }));
    assert.deepEqual(upTo(replayed), upTo(recording.events), "event for event the recorded run (not the seed's)");

    const atFailure = await whereAmI(dc);
    const back = await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }), stopped.body.threadId);
    assert.equal(back.body.reason, "step");
    assert.equal((await whereAmI(dc)).position, atFailure.position - 1);
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }), stopped.body.threadId);
    assert.deepEqual(await whereAmI(dc), atFailure, "forward again: the same delivery, by the same choices");
    assert.deepEqual(upTo(live), upTo(recording.events));
    // The trace file is put in place when the session ends (until then it keeps what it held).
    const ended = dc.waitForEvent("terminated");
    await dc.terminateRequest();
    await ended;
    assert.deepEqual(upTo(traceLines(trace)), upTo(recording.events));
  });

  test("stopOnEntry stops at the start; the driver and scenario come from the schedule", TIMEOUT, async () => {
    const file = schedule(dir, driver, recording);
    client = await startInline();
    const { dc } = client;
    const { stop, launched } = await launchReplay(dc, { replay: file, stopOnEntry: true });
    await launched;
    assert.equal((await stop).body.reason, "entry");
    assert.equal(await evaluate(dc, "position"), "0");
  });

  test("a changed driver is said in the debug console, and the replay still runs", TIMEOUT, async () => {
    const changed = path.join(dir, "changed.ts");
    fs.copyFileSync(driver, changed);
    const file = schedule(dir, changed, recording);
    fs.appendFileSync(changed, "// edited after the schedule was recorded\n");
    client = await startInline();
    const { dc } = client;
    const important = consoleLines(dc, "important");
    const { stop, launched } = await launchReplay(dc, { replay: file, stopOnEntry: false });
    await launched;
    assert.equal((await stop).body.reason, "exception");
    const warning = important.find((l) => l.includes("the driver changed since this schedule was recorded"));
    assert.ok(warning, `debug console: ${JSON.stringify(important)}`);
    assert.ok(warning.includes(changed), "names the driver");
  });

  test("a schedule written by active-driver explore (as the Test Explorer runs it) stops at its failure", TIMEOUT, async () => {
    const out = path.join(dir, "explored");
    const outcome = await runExplore({
      node: process.execPath,
      cli: CLI,
      args: exploreArguments(driver, FEW_FRAMES, "random", "2", out),
      cwd: dir,
      source: "explore illegal.ts",
    });
    assert.equal(outcome.kind, "report", JSON.stringify(outcome));
    if (outcome.kind !== "report") return;
    assert.equal(outcome.exitCode, 1);
    const [failure] = outcome.report.failures;
    assert.equal(failure?.kind, "illegal-send");
    assert.deepEqual(
      failure?.location,
      { file: driver, line: lineOf(driver, "illegal-send"), column: failure!.location!.column },
      "the failure points at the illegal send",
    );
    assert.ok(fs.existsSync(failure!.schedule!), `schedule file ${failure!.schedule}`);
    client = await startInline();
    const { dc } = client;
    const { stop, launched } = await launchReplay(dc, { replay: failure!.schedule, stopOnEntry: false });
    await launched;
    const stopped = await stop;
    assert.equal(stopped.body.reason, "exception");
    assert.match(stopped.body.text ?? "", /^Replayed failure \(illegal\.few-frames\.1\.schedule\.json\): illegal-send: send of "closeComplete"/);
    const back = await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }), stopped.body.threadId);
    assert.equal(back.body.reason, "step");
  });

  test("an unreadable or invalid schedule fails the launch, naming the file and the cause", TIMEOUT, async () => {
    const missing = path.join(dir, "missing.schedule.json");
    const broken = path.join(dir, "broken.schedule.json");
    fs.writeFileSync(broken, '{ "format": "active-driver-schedule", "version": 1, "choices": [');
    for (const [file, cause] of [
      [missing, /cannot read the schedule file \(ENOENT\)/],
      [broken, /not valid JSON/],
    ] as const) {
      client = await startInline();
      const { dc } = client;
      const { launched } = await launchReplay(dc, { replay: file });
      await assert.rejects(launched, (e: Error) => e.message.includes(file) && cause.test(e.message) && e.message.startsWith("Active Driver: cannot replay: "));
      await client.close();
      client = undefined;
    }
  });
});
