// The Test Explorer's pure parts: reading the explore report (paths made absolute, bad fields named),
// the failure's message and location, the settings as CLI arguments, coverage merged over the
// scenarios of a driver, driver detection; and the child process (report, usage error, cancel).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { driverDefinition, driverScenarios, scenarioItemId, scenarioLabel } from "../../client/src/testing/discovery";
import { runExplore } from "../../client/src/testing/exploreProcess";
import {
  budgetArgument,
  distinctFailures,
  exploreArguments,
  failureText,
  mergeCoverage,
  parseExploreReport,
  ReportError,
  strategyArgument,
  type ExploreReport,
} from "../../client/src/testing/report";

const CWD = path.resolve("/home/dev/workspace");
const FAKE_CLI = path.join(__dirname, "fixtures", "fake-explore-cli.js");

const REPORT = {
  driver: "samples/rtl8169/active.ts",
  strategy: "pct",
  runs: 200,
  passed: 199,
  failed: 1,
  failures: [
    {
      scenario: "protocol-fuzz",
      message: "frame 12 lost: last seen in TX ring slot 3 at 4.211 ms (state closing, wait at active.ts:40)",
      schedule: "active.protocol-fuzz.1.schedule.json",
      kind: "lost-frames",
      location: { file: "samples/rtl8169/active.ts", line: 40, column: 7 },
      replay: "active-driver run --replay active.protocol-fuzz.1.schedule.json",
      shrink: { before: { choices: 812, nonDefault: 97, requests: 31, frames: 500 }, after: { choices: 40, nonDefault: 3, requests: 4, frames: 2 } },
    },
  ],
  coverage: {
    transitions: [{ state: "open", message: "xmit", count: 123 }],
    unreached: [{ state: "closing", message: "txTimeout" }],
    waitSites: [],
    faults: [],
  },
};

describe("explore report", () => {
  it("reads the contract's report, with the schedule and location made absolute", () => {
    const report = parseExploreReport(JSON.stringify(REPORT), CWD, "explore active.ts");
    assert.equal(report.runs, 200);
    assert.equal(report.failed, 1);
    const [failure] = report.failures;
    assert.equal(failure!.schedule, path.join(CWD, "active.protocol-fuzz.1.schedule.json"));
    assert.deepEqual(failure!.location, { file: path.join(CWD, "samples/rtl8169/active.ts"), line: 40, column: 7 });
    assert.deepEqual(failure!.shrink?.after, { choices: 40, nonDefault: 3, requests: 4, frames: 2 });
    assert.deepEqual(report.coverage, {
      transitions: [{ state: "open", message: "xmit", count: 123 }],
      unreached: [{ state: "closing", message: "txTimeout" }],
    });
  });

  it("keeps absolute paths, and drops a location with no line", () => {
    const failures = [
      { scenario: "default", message: "m", schedule: "/abs/a.default.1.schedule.json", location: { file: "/abs/a.ts", line: 3 } },
      { scenario: "default", message: "m", location: { file: "a.ts", line: 0, column: 1 } },
    ];
    const report = parseExploreReport(JSON.stringify({ ...REPORT, failures }), CWD, "x");
    assert.equal(report.failures[0]!.schedule, "/abs/a.default.1.schedule.json");
    assert.deepEqual(report.failures[0]!.location, { file: "/abs/a.ts", line: 3, column: 1 });
    assert.equal(report.failures[1]!.location, undefined);
  });

  it("names the source and the field of a report that is not one", () => {
    assert.throws(
      () => parseExploreReport("active-driver: boom\nmore", CWD, "explore a.ts"),
      (e: Error) =>
        e instanceof ReportError && /^explore a\.ts: not an explore report: the output is not JSON .*it begins: active-driver: boom$/.test(e.message),
    );
    assert.throws(() => parseExploreReport("", CWD, "explore a.ts"), /it is empty/);
    assert.throws(() => parseExploreReport("[]", CWD, "s"), /not a JSON object/);
    assert.throws(() => parseExploreReport(JSON.stringify({ ...REPORT, runs: "many" }), CWD, "s"), /"runs" must be a count/);
    assert.throws(() => parseExploreReport(JSON.stringify({ ...REPORT, failures: [{ message: "m" }] }), CWD, "s"), /failures\[0\]\.scenario/);
  });

  it("says what failed, how far it shrank, and how to replay it", () => {
    const [failure] = parseExploreReport(JSON.stringify(REPORT), CWD, "x").failures;
    assert.equal(
      failureText(failure!),
      [
        "lost-frames: frame 12 lost: last seen in TX ring slot 3 at 4.211 ms (state closing, wait at active.ts:40)",
        "Shrunk: choices 812 \u2192 40, requests 31 \u2192 4, frames 500 \u2192 2.",
        `Schedule: ${path.join(CWD, "active.protocol-fuzz.1.schedule.json")}`,
        "Replay: active-driver run --replay active.protocol-fuzz.1.schedule.json",
      ].join("\n"),
    );
    assert.equal(failureText({ scenario: "s", message: "lost-frames: x", kind: "lost-frames" }), "lost-frames: x");
  });

  it("keeps one failure per distinct kind, message and place, the first of each", () => {
    const at = (line: number) => ({ file: "/w/a.ts", line, column: 1 });
    const failures = [
      { scenario: "s", kind: "illegal-send", message: "m", schedule: "/o/a.s.1.schedule.json", location: at(10) },
      { scenario: "s", kind: "illegal-send", message: "m", schedule: "/o/a.s.2.schedule.json", location: at(10) },
      { scenario: "s", kind: "illegal-send", message: "m", schedule: "/o/a.s.3.schedule.json", location: at(12) },
      { scenario: "s", kind: "lost-frames", message: "m", schedule: "/o/a.s.4.schedule.json" },
    ];
    assert.deepEqual(
      distinctFailures(failures).map((f) => f.schedule),
      ["/o/a.s.1.schedule.json", "/o/a.s.3.schedule.json", "/o/a.s.4.schedule.json"],
    );
  });

  it("turns the settings into the CLI's arguments, falling back on the defaults", () => {
    assert.equal(budgetArgument("60s"), "60s");
    assert.equal(budgetArgument(" 500 "), "500");
    assert.equal(budgetArgument(50), "50");
    for (const bad of ["0", "-3", "1m", "", null, 1.5]) assert.equal(budgetArgument(bad), "200", String(bad));
    assert.equal(strategyArgument("dfs"), "dfs");
    assert.equal(strategyArgument("bfs"), "pct");
    assert.deepEqual(exploreArguments("/w/a.ts", "protocol-fuzz", "pct", "200", "/tmp/out"), [
      "explore",
      "/w/a.ts",
      "--scenario",
      "protocol-fuzz",
      "--strategy",
      "pct",
      "--budget",
      "200",
      "--json",
      "--out",
      "/tmp/out",
    ]);
  });

  it("merges the coverage of a driver's scenarios: counts add, a pair covered anywhere is not unreached", () => {
    const one = (transitions: { state: string; message: string; count: number }[], unreached: { state: string; message: string }[]): ExploreReport => ({
      ...REPORT,
      failures: [],
      coverage: { transitions, unreached },
    });
    const merged = mergeCoverage([
      one(
        [{ state: "open", message: "xmit", count: 2 }],
        [
          { state: "closing", message: "txTimeout" },
          { state: "open", message: "txTimeout" },
        ],
      ),
      one(
        [
          { state: "open", message: "xmit", count: 3 },
          { state: "open", message: "txTimeout", count: 1 },
        ],
        [{ state: "closing", message: "txTimeout" }],
      ),
      { ...REPORT, failures: [] as never[], coverage: undefined } as ExploreReport,
    ]);
    assert.deepEqual(merged, {
      transitions: [
        { state: "open", message: "xmit", count: 5 },
        { state: "open", message: "txTimeout", count: 1 },
      ],
      unreached: [{ state: "closing", message: "txTimeout" }],
    });
    assert.equal(mergeCoverage([]), undefined);
  });
});

describe("driver discovery", () => {
  it("finds the define call of active and passive drivers, and nothing else", () => {
    assert.deepEqual(driverDefinition('import x from "y";\n\nexport default  defineDriver({ protocol: P }, async (d) => {});'), {
      kind: "active",
      line: 2,
      column: 16,
    });
    assert.deepEqual(driverDefinition("export default definePassiveDriver({ protocol: P }, (k) => ({}));"), { kind: "passive", line: 0, column: 15 });
    assert.equal(driverDefinition("export const P = defineProtocol({});"), undefined);
    assert.equal(driverDefinition("const x = 1;"), undefined);
  });

  it("explores every driver on the protocol-driven workload first, then the built-in scenarios", () => {
    assert.deepEqual(driverScenarios.slice(0, 2), ["protocol-fuzz", "default"]);
    assert.equal(new Set(driverScenarios).size, driverScenarios.length, "each once (the built-ins may list protocol-fuzz too)");
    assert.ok(driverScenarios.includes("suspend-unplug"));
    assert.equal(scenarioLabel("/w/scenarios/storm.json"), "storm.json");
    assert.equal(scenarioLabel("tx-timeout"), "tx-timeout");
    assert.ok(!scenarioItemId("file:///w/a.ts", "/w/scenarios/storm.json").includes("\u0000"), "VS Code refuses NUL in test ids");
  });
});

describe("explore child process", () => {
  const base = { node: process.execPath, cli: FAKE_CLI, cwd: CWD, source: "explore a.ts" };
  const withMode = async <T>(mode: string, fn: () => Promise<T>): Promise<T> => {
    process.env.FAKE_EXPLORE = mode;
    try {
      return await fn();
    } finally {
      delete process.env.FAKE_EXPLORE;
    }
  };

  it("returns the report of a failing exploration, with its stderr lines streamed", async () => {
    const lines: string[] = [];
    const outcome = await withMode("fail", () =>
      runExplore({ ...base, cwd: __dirname, args: [...exploreArguments("active.ts", "protocol-fuzz", "pct", "20", "out")], onStderr: (l) => lines.push(l) }),
    );
    assert.equal(outcome.kind, "report");
    if (outcome.kind !== "report") return;
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(lines, ["progress: 10 runs", "progress: 20 runs"]);
    assert.equal(outcome.report.failures[0]!.schedule, path.join(__dirname, "out/active.protocol-fuzz.1.schedule.json"));
    assert.equal(outcome.report.failures[0]!.scenario, "protocol-fuzz");
  });

  it("a usage error (exit 2) is an error with the CLI's message", async () => {
    const outcome = await withMode("usage", () => runExplore({ ...base, cwd: __dirname, args: [] }));
    assert.deepEqual(outcome, { kind: "error", message: "explore a.ts: the exploration exited with code 2: active-driver explore: unknown strategy 'x'" });
  });

  it("output that is not a report is an error naming the source", async () => {
    const outcome = await withMode("garbage", () => runExplore({ ...base, cwd: __dirname, args: [] }));
    assert.equal(outcome.kind, "error");
    assert.match((outcome as { message: string }).message, /^explore a\.ts: not an explore report: the output is not JSON/);
  });

  it("cancelling kills the process", async () => {
    const abort = new AbortController();
    const outcome = await withMode("hang", () => runExplore({ ...base, cwd: __dirname, args: [], signal: abort.signal, onStderr: () => abort.abort() }));
    assert.deepEqual(outcome, { kind: "cancelled" });
  });
});
