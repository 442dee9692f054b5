// The build's entry list (esbuild.js): every entry point's source exists, and a missing one fails
// the build with a message naming it instead of being skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";

type Entry = [source: string, output: string];
interface BuildScript {
  nodeEntries: Entry[];
  browserEntries: Entry[];
  checkEntries(entries: readonly Entry[]): void;
}

const repo = path.resolve(__dirname, "..", "..");

async function buildScript(): Promise<BuildScript> {
  const loaded = (await import(path.join(repo, "esbuild.js"))) as BuildScript & { default?: BuildScript };
  return loaded.default ?? loaded;
}

test("every entry point of esbuild.js has its source", async () => {
  const build = await buildScript();
  assert.ok(build.nodeEntries.length > 0 && build.browserEntries.length > 0);
  const cwd = process.cwd();
  process.chdir(repo);
  try {
    assert.doesNotThrow(() => build.checkEntries([...build.nodeEntries, ...build.browserEntries]));
  } finally {
    process.chdir(cwd);
  }
});

test("a missing entry point source fails the build, naming the source and its output", async () => {
  const build = await buildScript();
  assert.throws(
    () => build.checkEntries([["client/src/no-such-entry.ts", "dist/nothing.js"]]),
    (error: Error) =>
      error.message.includes("client/src/no-such-entry.ts (for dist/nothing.js)") && /^esbuild\.js: entry point source not found/.test(error.message),
  );
});
