// SARIF artifact URIs are percent-encoded: `#`, `?`, `%`, spaces and non-ASCII in a file name stay
// part of the path instead of starting a fragment or a query.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { formatSarif, type CheckedFile } from "../../cli/src/check";

const diagnostic = {
  code: "AD001",
  severity: "error",
  message: "m",
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  related: [],
} as unknown as CheckedFile["diagnostics"][number];

interface Sarif {
  runs: {
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
  }[];
}

test("SARIF uris percent-encode #, ?, %, spaces and non-ASCII", () => {
  const cwd = path.resolve("/work space/ré#po");
  const relative = "drivers/a #1?x=%41 é.ts";
  const absolute = path.resolve("/else where/b#2?.ts");
  const log = JSON.parse(
    formatSarif(
      [
        { file: relative, diagnostics: [diagnostic] },
        { file: absolute, diagnostics: [diagnostic] },
      ],
      cwd,
    ),
  ) as Sarif;
  const run = log.runs[0]!;
  const [rel, abs] = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
  assert.equal(rel!.uri, "drivers/a%20%231%3Fx%3D%2541%20%C3%A9.ts");
  assert.equal(rel!.uriBaseId, "%SRCROOT%");
  const base = run.originalUriBaseIds["%SRCROOT%"]!.uri;
  assert.equal(fileURLToPath(new URL(rel!.uri, base)), path.join(cwd, ...relative.split("/")));
  assert.equal(fileURLToPath(abs!.uri), absolute);
  assert.ok(!/[ #?é]/.test(abs!.uri + base), abs!.uri + " " + base);
});
