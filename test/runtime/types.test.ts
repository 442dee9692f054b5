// The driver API's types: test/fixtures/types compiles with tsc (every `@ts-expect-error` there must
// meet an error), and dropping one of those directives makes the compile fail.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";

const root = resolve(__dirname, "../..");
const fixtures = join(root, "test/fixtures/types");
const tsc = join(root, "node_modules/typescript/bin/tsc");

function compile(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", project], { cwd: root, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("driver API types", () => {
  it("type-checks the fixtures: the DESIGN example compiles and each misuse is an error", () => {
    const r = compile(fixtures);
    assert.equal(r.output, "");
    assert.equal(r.status, 0);
  });

  it("fails when a misuse is no longer marked as expected (the checks are live)", () => {
    const dir = join(fixtures, `.tmp-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const source = readFileSync(join(fixtures, "errors.ts"), "utf8").replace(/from "\.\/ethernet"/g, 'from "../ethernet"');
      const marker = "  // @ts-expect-error send on an incoming mailbox\n";
      assert.ok(source.includes(marker));
      writeFileSync(join(dir, "errors.ts"), source.replace(marker, ""));
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", include: ["*.ts"] }));
      const r = compile(dir);
      assert.equal(r.status, 2);
      assert.match(r.output, /errors\.ts\(\d+,\d+\): error TS2345: Argument of type 'IncomingMailbox<\{ frame: Uint8Array/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
