// `check` of a folder follows symbolic links to .ts files and to folders, and checks each file once
// (a second link to the same file, or a link back up the tree, adds nothing).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { collectFiles } from "../../cli/src/check";
import { repoRoot, tempDir } from "./helpers";

test("symlinked .ts files and folders inside a checked folder are followed, once each", () => {
  const dir = tempDir("symlinks");
  const shared = tempDir("symlink-targets");
  const broken = path.join(repoRoot, "samples", "broken", "ad001-missing-wait.ts");
  fs.copyFileSync(broken, path.join(shared, "driver.ts"));
  fs.mkdirSync(path.join(shared, "more"));
  fs.copyFileSync(broken, path.join(shared, "more", "other.ts"));
  fs.writeFileSync(path.join(dir, "own.ts"), fs.readFileSync(broken));
  fs.symlinkSync(path.join(shared, "driver.ts"), path.join(dir, "linked.ts"));
  fs.symlinkSync(path.join(shared, "driver.ts"), path.join(dir, "again.ts")); // the same file twice
  fs.symlinkSync(path.join(shared, "more"), path.join(dir, "more"));
  fs.symlinkSync(dir, path.join(dir, "loop")); // back up the tree
  fs.symlinkSync(path.join(shared, "missing.ts"), path.join(dir, "dangling.ts"));

  const files = collectFiles([dir]).map((f) => path.relative(dir, f));
  assert.deepEqual(
    files,
    ["again.ts", "more/other.ts", "own.ts"].map((f) => f.split("/").join(path.sep)),
  );
});
