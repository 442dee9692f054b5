// `active-driver explore --scenario NAME` (repeated or comma-separated) and `--json`: the plan over
// the chosen scenarios, usage errors naming the valid scenarios (exit 2), one scenario over many
// seeds, and the JSON report of the failures. As shipped (dist/cli.js) when the build is current,
// else the TypeScript source through tsx, as cli.test.ts does.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { explorePlan, parseBudget, replayCommand, scenarioSelection, takeScenarioOptions, type ExploreReport } from "../../cli/src/explore";
import { UsageError } from "../../cli/src/usage";

const root = path.resolve(__dirname, "..", "..");
const fixtures = path.join(__dirname, "..", "workers", "fixtures");
const bundle = path.join(root, "dist", "cli.js");
const active = "samples/rtl8169/active.ts";
const ALL = ["default", "tx-timeout", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug", "protocol-fuzz"];

function bundleIsCurrent(): boolean {
  if (!fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  const workersDir = path.join(root, "runtime", "src", "workers");
  const exploreDir = path.join(root, "runtime", "src", "explore");
  const cliDir = path.join(root, "cli", "src");
  const sources = [...[workersDir, exploreDir, cliDir].flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)))];
  return sources.every((f) => fs.statSync(f).mtimeMs <= built);
}
const useBundle = bundleIsCurrent();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const command = useBundle ? [bundle] : ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts")];
  const r = spawnSync(process.execPath, [...command, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lineOf(file: string, marker: string, nth = 1): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let seen = 0;
  return lines.findIndex((l) => l.includes(marker) && ++seen === nth) + 1;
}

describe("explore --scenario: parsing and the plan", () => {
  it("takes --scenario repeated, with = and comma-separated; the rest goes on", () => {
    assert.deepEqual(takeScenarioOptions(["d.ts", "--scenario", "tx-timeout", "--runs", "3", "--scenario=default,link-flap"]), {
      values: ["tx-timeout", "default,link-flap"],
      rest: ["d.ts", "--runs", "3"],
    });
    assert.deepEqual(takeScenarioOptions(["d.ts", "--seed", "2"]), { values: [], rest: ["d.ts", "--seed", "2"] });
    for (const args of [
      ["d.ts", "--scenario"],
      ["--scenario=", "d.ts"],
    ]) {
      assert.throws(
        () => takeScenarioOptions(args),
        (e: unknown) => e instanceof UsageError && /option '--scenario' needs a value/.test(e.message),
        args.join(" "),
      );
    }
  });

  it("selects every scenario by default, else the named ones in order, once each", () => {
    assert.deepEqual(scenarioSelection([]), ALL);
    assert.deepEqual(scenarioSelection(["hot-unplug, default", "hot-unplug", "link-flap"]), ["hot-unplug", "default", "link-flap"]);
    const file = path.join(root, "samples", "rtl8169", "scenarios", "suspend-cycles.json");
    assert.deepEqual(scenarioSelection([file]), [file], "a scenario file, as run takes");
  });

  it("refuses an unknown or empty name, listing the valid scenarios", () => {
    const cases: [string[], RegExp][] = [
      [
        ["tx-timeout,sunny-day"],
        /unknown scenario 'sunny-day': use one of default, tx-timeout, link-flap, rx-overflow, spurious-irq, hot-unplug, suspend-unplug/,
      ],
      [["default,"], /--scenario: empty scenario name in 'default,'; use one of default, tx-timeout/],
    ];
    for (const [values, message] of cases) {
      assert.throws(
        () => scenarioSelection(values),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        values.join(" "),
      );
    }
  });

  it("plans one scenario over consecutive seeds, several round-robin per seed", () => {
    assert.deepEqual(explorePlan(3, 7, ["tx-timeout"]), [
      { scenario: "tx-timeout", seed: 7 },
      { scenario: "tx-timeout", seed: 8 },
      { scenario: "tx-timeout", seed: 9 },
    ]);
    assert.deepEqual(
      explorePlan(3, 1, ["default", "link-flap"]).map((r) => `${r.scenario}@${r.seed}`),
      ["default@1", "link-flap@1", "default@2"],
    );
    assert.equal(explorePlan(16, 1).at(-1)!.seed, 2, "the default plan: every scenario per seed");
  });

  it("replays the schedule file, quoted for the shell when it needs to be", () => {
    assert.equal(replayCommand("d.tx-timeout.1.schedule.json"), "active-driver run --replay d.tx-timeout.1.schedule.json");
    assert.equal(replayCommand("my out/it's.1.schedule.json"), `active-driver run --replay 'my out/it'\\''s.1.schedule.json'`);
  });

  it("--budget takes runs or seconds; --runs is its synonym", () => {
    assert.deepEqual(parseBudget("200", "--budget", 8), { kind: "runs", runs: 200 });
    assert.deepEqual(parseBudget("60s", "--budget", 8), { kind: "time", ms: 60000 });
    assert.deepEqual(parseBudget(undefined, "--budget", 8), { kind: "runs", runs: 8 });
    assert.deepEqual(parseBudget("3", "--runs", 8), { kind: "runs", runs: 3 });
    for (const [value, option] of [
      ["0", "--budget"],
      ["1.5", "--budget"],
      ["60s", "--runs"],
      ["x", "--runs"],
    ] as const) {
      assert.throws(
        () => parseBudget(value, option, 8),
        (e: unknown) => e instanceof UsageError,
        `${option} ${value}`,
      );
    }
  });
});

describe("explore --scenario and --json, end to end", () => {
  it("explores one scenario over many seeds", () => {
    const r = cli("explore", active, "--scenario", "tx-timeout", "--runs", "3", "--seed", "2");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^3 runs \(1 scenario: tx-timeout, random\) in [\d.]+ s \([\d.]+ runs\/s\): all passed$/m);
    assert.match(r.stdout, /^coverage {3}\d+\/\d+ \(state, message\) pairs/m);
    assert.equal(r.stderr, "");
  });

  it("bad --scenario values exit 2 with the valid names on stderr and nothing on stdout", () => {
    const cases: [string[], RegExp][] = [
      [
        ["explore", active, "--scenario", "sunny-day"],
        /unknown scenario 'sunny-day': use one of default, tx-timeout, link-flap, rx-overflow, spurious-irq, hot-unplug, suspend-unplug, protocol-fuzz, or a path/,
      ],
      [["explore", active, "--scenario", "default", "--scenario", "default,,link-flap"], /--scenario: empty scenario name in 'default,,link-flap'/],
      [["explore", active, "--scenario"], /option '--scenario' needs a value/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.equal(r.stdout, "", args.join(" "));
    }
  });

  it("--json reports each failure in plan order with its message, schedule file, replay command and source line", () => {
    const file = path.relative(root, path.join(fixtures, "illegal.ts"));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ad-explore-"));
    try {
      const r = cli("explore", file, "--scenario", "tx-timeout,default", "--runs", "4", "--seed", "5", "--json", "--out", out);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      const report = JSON.parse(r.stdout) as ExploreReport;
      assert.deepEqual(
        { ...report, failures: [], coverage: undefined },
        { driver: file, strategy: "random", scenarios: ["tx-timeout", "default"], runs: 4, passed: 0, failed: 4, failures: [], coverage: undefined },
      );
      assert.deepEqual(
        report.failures.map((f) => [f.scenario, f.seed, f.schedule, f.replay]),
        [1, 2, 3, 4].map((n, i) => {
          const scenario = i % 2 === 0 ? "tx-timeout" : "default";
          const schedule = path.join(out, `illegal.${scenario}.${n}.schedule.json`);
          return [scenario, 5 + Math.floor(i / 2), schedule, `active-driver run --replay ${schedule}`];
        }),
      );
      const second = lineOf(path.join(fixtures, "illegal.ts"), "d.send(openComplete", 2);
      for (const f of report.failures) {
        assert.match(f.message, /^illegal-send: send of "openComplete" in state "open"/);
        assert.equal(f.kind, "illegal-send");
        assert.equal(f.location?.line, second, `${f.scenario} seed ${f.seed}: the second send`);
        assert.ok(f.location?.file.endsWith(path.join("fixtures", "illegal.ts")), f.location?.file);
        assert.ok(fs.existsSync(f.schedule), f.schedule);
      }
      assert.ok(
        report.coverage.transitions.some((t) => t.state === "closed" && t.message === "open"),
        "coverage: open delivered in closed",
      );
      assert.doesNotMatch(r.stdout, /^FAIL/m, "no text lines around the JSON");
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
