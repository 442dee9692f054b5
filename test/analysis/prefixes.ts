// The prefix-robustness check shared by the two robustness suites: analyse prefixes of a file as an
// editor sees it while it is typed; none may throw or report an internal error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { analyzeFile, createAnalysisCache, type AnalysisHost } from "../../server/src/analysis";
import { fsHost, repoRoot } from "./harness";

/** A host that reads each file once (the prefixes are many; the files they import do not change). */
export function memoHost(base: AnalysisHost = fsHost): AnalysisHost {
  const seen = new Map<string, string | undefined>();
  return {
    readFile(p) {
      if (!seen.has(p)) seen.set(p, base.readFile(p));
      return seen.get(p);
    },
  };
}

/** Prefix lengths: every `stride`-th character, every line start and end, and the whole text. */
export function prefixLengths(text: string, stride: number): number[] {
  const ends = new Set<number>([0, text.length]);
  for (let i = 0; i <= text.length; i += stride) ends.add(i);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    ends.add(i);
    ends.add(i + 1);
  }
  return [...ends].filter((n) => n <= text.length).sort((a, b) => a - b);
}

/** Analyses the given prefixes of a file; returns how many were analysed. */
export function checkPrefixes(file: string, stride: number, host: AnalysisHost = memoHost()): number {
  const text = readFileSync(file, "utf8");
  const cache = createAnalysisCache();
  const shown = path.relative(repoRoot, file);
  const lengths = prefixLengths(text, stride);
  for (const end of lengths) {
    let result;
    try {
      result = analyzeFile(file, text.slice(0, end), host, { cache });
    } catch (error) {
      assert.fail(`${shown} threw on its first ${end} characters: ${error instanceof Error ? error.stack : String(error)}`);
    }
    assert.deepEqual(result.internalErrors, [], `${shown}, first ${end} characters`);
  }
  return lengths.length;
}
