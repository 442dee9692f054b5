// Findings inside helpers in other files: located at the helper's line in the helper's file, with
// the calls that reach them (and the protocol states there) as related information; one finding
// however many calls reach it, in one driver or, for `check`, in several.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { checkFiles } from "../../cli/src/check";
import { analyzePath, casesDir } from "./harness";

const scratch = mkdtempSync(path.join(tmpdir(), "active-driver-helpers-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("a helper reached in two states: one AD001 at its wait, each call and its state as related information", () => {
  const { result } = analyzePath(path.join(casesDir, "ad001-helper-two-callers.ts"));
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.helperDiagnostics?.length, 1);
  const finding = result.helperDiagnostics![0]!;
  assert.equal(finding.file, path.join(casesDir, "lib", "serve-open.ts"));
  assert.equal(finding.code, "AD001");
  assert.match(finding.message, /open can arrive in state 'closed'; close and xmit in state 'open'/);
  const calls = finding.related.filter((r) => r.message.startsWith("reached from"));
  assert.deepEqual(
    calls.map((r) => [path.basename(r.file), r.range.start.line + 1, r.message]),
    [
      ["ad001-helper-two-callers.ts", 9, "reached from awaitWatchdog() in state 'closed'"],
      ["ad001-helper-two-callers.ts", 13, "reached from awaitWatchdog() in state 'open'"],
    ],
  );
  // The quick fix's data is the helper's: its positions are in the helper's file, where the finding is.
  assert.equal(finding.data?.kind, "missingMessages");
});

test("check: the finding goes under the helper's file, once for two drivers that reach it, with both calls", () => {
  const dir = mkdtempSync(path.join(scratch, "two-drivers-"));
  writeFileSync(path.join(dir, "protocol.ts"), readFileSync(path.join(casesDir, "protocol.ts"), "utf8"));
  writeFileSync(path.join(dir, "helper.ts"), `export async function settle(d: any) {\n  await d.wait(d.mb.txTimeout);\n}\n`);
  const driver = (name: string) => `// driver ${name}
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { settle } from "./helper";
export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    await settle(d);
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
`;
  writeFileSync(path.join(dir, "a.ts"), driver("a"));
  writeFileSync(path.join(dir, "b.ts"), driver("b"));
  const { checked } = checkFiles([path.join(dir, "a.ts"), path.join(dir, "b.ts")], dir);
  assert.deepEqual(
    checked.map((c) => [c.file, c.reached === true, c.diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`)]),
    [
      ["a.ts", false, []],
      ["b.ts", false, []],
      ["helper.ts", true, ["2:AD001"]],
    ],
  );
  const calls = checked[2]!.diagnostics[0]!.related.filter((r) => r.message.startsWith("reached from"));
  assert.deepEqual(
    calls.map((r) => `${path.basename(r.file)}:${r.range.start.line + 1} ${r.message}`),
    ["a.ts:7 reached from settle() in state 'closed'", "b.ts:7 reached from settle() in state 'closed'"],
  );
});
