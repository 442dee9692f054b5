// The analysis service without the real analysis: what it keeps, what invalidates it, and the
// reverse import index that decides which open drivers to re-diagnose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisHost, AnalysisOptions, AnalysisResult } from "../../server/src/analysis/types";
import { AnalysisService } from "../../server/src/workspace/analysisService";
import { DependencyIndex } from "../../server/src/workspace/dependencyIndex";

/** A fake analysis that reads the files named in `// reads: a.ts b.ts` and counts its runs. */
function fakeAnalysis() {
  const runs: string[] = [];
  const analyze = (fileName: string, text: string, host: AnalysisHost, options: AnalysisOptions): AnalysisResult => {
    runs.push(fileName);
    const reads = /\/\/ reads: (.*)/.exec(text)?.[1]?.split(" ") ?? [];
    const seen = reads.map((f) => `${f}=${host.readFile(`/ws/${f}`) ?? "missing"}`);
    return {
      fileName,
      diagnostics: [],
      protocols: [],
      drivers: [],
      incomplete: options.cancellation?.isCancellationRequested === true,
      internalErrors: seen.includes("boom=missing") ? ["boom"] : [],
    };
  };
  return { runs, analyze };
}

const doc = (name: string, version: number, text: string) => TextDocument.create(`file:///ws/${name}`, "typescript", version, text);

test("an analysis is kept while the document and every file it read are unchanged", () => {
  const disk = new Map([["/ws/protocol.ts", "p1"]]);
  const { runs, analyze } = fakeAnalysis();
  const service = new AnalysisService({ analyze, readFile: (f) => disk.get(f) });
  const driver = doc("driver.ts", 1, "// reads: protocol.ts");
  service.documentChanged(driver);
  const first = service.analysisOf(driver);
  const again = service.analysisOf(driver);
  assert.equal(again.resultId, first.resultId);
  assert.equal(runs.length, 1);
  assert.deepEqual([...first.stamps.keys()], ["/ws/protocol.ts"]);

  // The protocol changes on disk: the driver depends on it, so it is re-analysed.
  disk.set("/ws/protocol.ts", "p2");
  assert.deepEqual(service.fileChanged("/ws/protocol.ts"), ["file:///ws/driver.ts"]);
  const third = service.analysisOf(driver);
  assert.notEqual(third.resultId, first.resultId);
  assert.equal(runs.length, 2);
  // A file nobody read changes: nothing to redo.
  assert.deepEqual(service.fileChanged("/ws/other.ts"), []);
  assert.equal(service.analysisOf(driver).resultId, third.resultId);
});

test("an open protocol's edits reach the drivers that read it, and closing it goes back to the disk", () => {
  const disk = new Map([["/ws/protocol.ts", "disk"]]);
  const texts: string[] = [];
  const service = new AnalysisService({
    analyze: (fileName, _text, host) => {
      texts.push(host.readFile("/ws/protocol.ts") ?? "missing");
      return { fileName, diagnostics: [], protocols: [], drivers: [], incomplete: false, internalErrors: [] };
    },
    readFile: (f) => disk.get(f),
  });
  const driver = doc("driver.ts", 1, "");
  service.documentChanged(driver);
  service.analysisOf(driver);
  let protocol = doc("protocol.ts", 1, "open v1");
  assert.deepEqual(service.documentChanged(protocol), ["file:///ws/driver.ts"]);
  service.analysisOf(driver);
  protocol = TextDocument.update(protocol, [{ text: "open v2" }], 2);
  service.documentChanged(protocol);
  service.analysisOf(driver);
  service.analysisOf(driver);
  assert.deepEqual(service.documentClosed(protocol.uri), ["file:///ws/driver.ts"]);
  service.analysisOf(driver);
  assert.deepEqual(texts, ["disk", "open v1", "open v2", "disk"]);
});

test("a cancelled analysis is not kept, and internal errors are reported, not thrown", () => {
  const { runs, analyze } = fakeAnalysis();
  const errors: string[] = [];
  const service = new AnalysisService({ analyze, readFile: () => undefined, onInternalError: (m) => errors.push(m) });
  const driver = doc("driver.ts", 1, "// reads: boom");
  service.analysisOf(driver, { isCancellationRequested: true });
  service.analysisOf(driver);
  assert.equal(runs.length, 2);
  assert.deepEqual(errors, ["boom", "boom"]);
  service.analysisOf(driver);
  assert.equal(runs.length, 2);
  assert.equal(service.cachedAnalyses, 1);
  service.documentClosed(driver.uri);
  assert.equal(service.cachedAnalyses, 0);
});

test("the dependency index answers both ways and forgets a document's old reads", () => {
  const index = new DependencyIndex();
  index.set("a", ["p.ts", "h.ts"]);
  index.set("b", ["p.ts"]);
  assert.deepEqual(index.dependentsOf("p.ts").sort(), ["a", "b"]);
  index.set("a", ["h.ts"]);
  assert.deepEqual(index.dependentsOf("p.ts"), ["b"]);
  assert.deepEqual(index.dependenciesOf("a"), ["h.ts"]);
  index.delete("b");
  assert.deepEqual(index.dependentsOf("p.ts"), []);
});
