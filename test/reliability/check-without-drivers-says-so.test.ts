// `check` of a folder without any .ts file says "no drivers found" and exits 2, instead of a clean 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, tempDir } from "./helpers";

test("check of a folder with no .ts files says 'no drivers found', exit 2", () => {
  const dir = tempDir("no-drivers");
  fs.writeFileSync(path.join(dir, "notes.md"), "# not a driver\n");
  fs.writeFileSync(path.join(dir, "types.d.ts"), "export type X = 1;\n");
  const r = cli(["check", dir]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /no drivers found: no \.ts files in '.*no-drivers-/);
  assert.equal(r.stdout, "");
});
