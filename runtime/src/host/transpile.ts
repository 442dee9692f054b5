// Transpiles one driver source file to CommonJS with the TypeScript compiler API, no type-check:
// drivers run from their .ts sources without a build step. An inline source map makes stack
// traces (and so trace `loc`s) point at the .ts lines. Output is cached by path, mtime and size.
import * as fs from "node:fs";
import * as ts from "typescript";
import { DriverLoadError, positionOf } from "./errors";

export interface Transpiled {
  /** CommonJS JavaScript with an inline source map. */
  code: string;
  /** The source text it came from (for locating imports in error messages). */
  source: string;
}

interface CacheEntry extends Transpiled {
  mtimeMs: number;
  size: number;
}

const cache = new Map<string, CacheEntry>();

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
  // Drivers are plain modules: keep `import x = require()` and enums working without a program.
  isolatedModules: true,
  verbatimModuleSyntax: false,
};

/** Reads and transpiles `file` (absolute), reusing the cached output while the file is unchanged. */
export function transpileFile(file: string): Transpiled {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new DriverLoadError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
  const source = fs.readFileSync(file, "utf8");
  const entry: CacheEntry = { ...transpileSource(file, source), mtimeMs: stat.mtimeMs, size: stat.size };
  cache.set(file, entry);
  return entry;
}

/** Transpiles source text; a syntax error throws a DriverLoadError at the first diagnostic. */
export function transpileSource(file: string, source: string): Transpiled {
  if (file.endsWith(".json")) return { code: `module.exports = ${source};`, source };
  const out = ts.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = positionOf(source, first.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(first.messageText, " ");
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more syntax error${errors.length > 2 ? "s" : ""})` : "";
    throw new DriverLoadError(`syntax error: ${text} (TS${first.code})${more}`, { file, line, column });
  }
  return { code: out.outputText, source };
}

/** Forgets cached output (all files, or one). */
export function clearTranspileCache(file?: string): void {
  if (file === undefined) cache.clear();
  else cache.delete(file);
}
