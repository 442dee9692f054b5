// Shared by the server tests: analysing a file as the server does, applying edits, reading the
// `//~ AD001` markers of a case, and golden files (ACCEPT=1 rewrites them).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { TextEdit } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { featureInput, type FeatureInput } from "../../server/src/features/context";
import { analyze, createCache } from "../../server/src/workspace/analyzer";

export const repo = path.resolve(__dirname, "..", "..");
export const fixtures = path.join(__dirname, "fixtures");
export const baselines = path.join(__dirname, "baselines");
export { conformanceDir as conformance } from "../conformanceDir";

const cache = createCache();

export function readDisk(fileName: string): string | undefined {
  try {
    return fs.readFileSync(fileName, "utf8");
  } catch {
    return undefined;
  }
}

/** The feature input for `fileName` (its text from disk unless given), analysed without a time budget. */
export function analysed(fileName: string, text: string = fs.readFileSync(fileName, "utf8"), version = 1): FeatureInput {
  const document = TextDocument.create(pathToFileURL(fileName).href, "typescript", version, text);
  const result = analyze(fileName, text, { readFile: readDisk }, { cache });
  assert.deepEqual(result.internalErrors, [], `internal analysis errors in ${fileName}`);
  return featureInput(document, result);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("file:///edit.ts", "typescript", 0, text), [...edits]);
}

/** `//~ AD001` markers: 0-based line -> codes. */
export function markers(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split("\n").forEach((line, i) => {
    const m = /\/\/~\s*((?:AD\d{3}\s*)+)/.exec(line);
    if (m) out.set(i, m[1]!.trim().split(/\s+/));
  });
  return out;
}

/** 0-based position of the first `needle` on the line holding `lineNeedle` (or on `line`). */
export function positionOf(text: string, needle: string, after = 0): { line: number; character: number } {
  const offset = text.indexOf(needle, after);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} not found`);
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** Compares `actual` with baselines/<name>; ACCEPT=1 writes it instead. */
export function assertBaseline(name: string, actual: string): void {
  const file = path.join(baselines, name);
  if (process.env.ACCEPT === "1") {
    fs.mkdirSync(baselines, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `missing baseline ${path.relative(repo, file)} (run with ACCEPT=1 to create it)`);
  assert.equal(actual, fs.readFileSync(file, "utf8"), `differs from baseline ${path.relative(repo, file)} (ACCEPT=1 rewrites it)`);
}
