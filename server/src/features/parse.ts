// The document's own syntax tree, for features that need more than the analysis model (where a
// handler stub goes, what is in scope). One parse per document version, kept for the last version.
import ts from "typescript";
import type { TextDocument } from "vscode-languageserver-textdocument";

const parsed = new Map<string, { version: number; sourceFile: ts.SourceFile }>();

export function sourceFileOf(document: TextDocument): ts.SourceFile {
  const known = parsed.get(document.uri);
  if (known !== undefined && known.version === document.version) return known.sourceFile;
  const sourceFile = ts.createSourceFile(document.uri, document.getText(), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  parsed.set(document.uri, { version: document.version, sourceFile });
  return sourceFile;
}

/** Drops the tree of a closed document. */
export function forgetSourceFile(uri: string): void {
  parsed.delete(uri);
}

/** The innermost node whose span (without leading trivia) holds [start, end). */
export function nodeAt(sourceFile: ts.SourceFile, start: number, end: number = start): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= start && end <= node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}

/** The node spanning exactly [start, end), if any (the call a diagnostic points at). */
export function nodeSpanning<T extends ts.Node>(sourceFile: ts.SourceFile, start: number, end: number, test: (n: ts.Node) => n is T): T | undefined {
  for (let n = nodeAt(sourceFile, start, end); n !== undefined; n = n.parent) {
    if (test(n) && n.getStart(sourceFile) === start && n.getEnd() === end) return n;
    if (n.getStart(sourceFile) < start) break;
  }
  return undefined;
}

/** Indentation of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

/** The file's indentation unit: the smallest step between consecutive indented lines, else two spaces. */
export function indentUnit(text: string): string {
  if (/^\t/m.test(text) && !/^ {2}/m.test(text)) return "\t";
  let unit = 0;
  let previous = 0;
  for (const line of text.split("\n").slice(0, 400)) {
    if (line.trim() === "") continue;
    const width = /^ */.exec(line)![0].length;
    const step = width - previous;
    if (step > 0 && (unit === 0 || step < unit)) unit = step;
    previous = width;
  }
  return " ".repeat(unit > 0 && unit <= 8 ? unit : 2);
}

export function lineBreak(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}
