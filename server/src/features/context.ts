// What every feature function receives: the document as the client holds it, the analysis of
// that text, and how to name other files as URIs. Features are pure functions of these.
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Position, Range } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisResult, DriverModel, Range as AnalysisRange } from "../analysis/types";

export interface FeatureInput {
  document: TextDocument;
  result: AnalysisResult;
  /** The URI of a file named in the analysis (the analysed file maps to the document's URI). */
  uriOf(file: string): string;
}

/** A FeatureInput whose other files map to `file:` URIs (open documents may pass their own mapping). */
export function featureInput(document: TextDocument, result: AnalysisResult, openUris?: ReadonlyMap<string, string>): FeatureInput {
  return {
    document,
    result,
    uriOf(file: string): string {
      if (file === result.fileName) return document.uri;
      const open = openUris?.get(file);
      if (open !== undefined) return open;
      // A path (also `C:\\...`) becomes a file URI; an untitled document's "file name" is its URI already.
      return path.isAbsolute(file) || !/^[a-z][a-z0-9+.-]+:/i.test(file) ? pathToFileURL(file).href : file;
    },
  };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** True when `position` lies in `range` (both ends included: a cursor just after a name is on it). */
export function rangeContains(range: AnalysisRange, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function rangeInside(inner: AnalysisRange, outer: AnalysisRange): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

export function sameRange(a: AnalysisRange, b: AnalysisRange): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

export function toRange(range: AnalysisRange): Range {
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

/** The driver whose code holds `position`, else the file's only driver. */
export function driverAt(result: AnalysisResult, position: Position): DriverModel | undefined {
  const inside = result.drivers.filter((d) => rangeContains(d.range, position));
  if (inside.length > 0) return inside[inside.length - 1];
  const withWait = result.drivers.find((d) => d.waits.some((w) => w.file === result.fileName && rangeContains(w.range, position)));
  if (withWait !== undefined) return withWait;
  return result.drivers.length === 1 ? result.drivers[0] : undefined;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** `state 'open'` / `states 'closed' and 'open'`. */
export function statesText(states: readonly string[]): string {
  return `${states.length === 1 ? "state" : "states"} ${listText(states.map((s) => `'${s}'`))}`;
}
