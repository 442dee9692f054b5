// The one place the server binds to the analysis (server/src/analysis): everything else takes an
// `Analyze` function, so tests can substitute a fake one.
import { analyzeFile, createAnalysisCache } from "../analysis";
import type { AnalysisCache } from "../analysis/types";
import type { Analyze } from "./analysisService";

export const analyze: Analyze = analyzeFile;

export function createCache(): AnalysisCache {
  return createAnalysisCache();
}
