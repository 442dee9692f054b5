// Where an owed reply is sent (AD003). The analysis names one place: the start of the statement
// holding the wait (or the thread's end). Two shapes need another place:
// - the wait sits in loops that do not receive the request again (`for (;;) { wait(close, ...) }`
//   after `open`): sending inside them would send again on every turn, so the send goes before
//   the outermost such loop;
// - the wait itself receives the request and the reply is owed only on a loop's back edge
//   (`if (failed) continue;` after `open`): the send goes before each such `continue`.
// Each place is a candidate; when the caller can re-analyse, the first candidate whose result has
// neither this finding nor a new one is used.
import ts from "typescript";
import type { TextEdit } from "vscode-languageserver";
import type { OwedReplyData, Range } from "../analysis/types";
import { rangeInside, sameRange, type FeatureInput } from "./context";
import { indentAt, lineBreak, nodeAt, sourceFileOf } from "./parse";

export interface ReplyCandidate {
  /** What the edit does, for the action's title. */
  where: "before the wait" | "before the loop" | "before continue" | "before the thread ends";
  edits: TextEdit[];
  /** A guess that only a re-analysis can confirm. */
  needsCheck?: boolean;
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function statementAt(sf: ts.SourceFile, offset: number): ts.Statement | undefined {
  for (let n = nodeAt(sf, offset); n !== undefined; n = n.parent) if (ts.isStatement(n) && n.getStart(sf) === offset) return n;
  return undefined;
}

/** `continue` statements that go back to `loop` from after `from` (not from inner loops or functions). */
function continuesOf(loop: ts.IterationStatement, from: number): ts.ContinueStatement[] {
  const found: ts.ContinueStatement[] = [];
  const visit = (n: ts.Node, depth: number): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isContinueStatement(n) && n.getStart() > from && (n.label === undefined ? depth === 0 : false)) found.push(n);
    ts.forEachChild(n, (c) => visit(c, isLoop(c) ? depth + 1 : depth));
  };
  visit(loop.statement, 0);
  return found;
}

/** The places to send the reply owed at the wait (or thread end) `waitRange`, best first. */
export function replyCandidates(input: FeatureInput, waitRange: Range, data: OwedReplyData): ReplyCandidate[] {
  const { document } = input;
  const text = document.getText();
  const nl = lineBreak(text);
  const given: ReplyCandidate = {
    where: data.at === "wait" ? "before the wait" : "before the thread ends",
    edits: [{ range: { start: data.insertPosition, end: data.insertPosition }, newText: data.insertText ?? `${data.sendText}${nl}${data.indent}` }],
  };
  if (data.at !== "wait") return bindSend([given], data);
  const sf = sourceFileOf(document);
  const statement = statementAt(sf, document.offsetAt(data.insertPosition));
  if (statement === undefined) return bindSend([given], data);
  const driver = input.result.drivers.find((d) => d.waits.some((w) => sameRange(w.range, waitRange)));
  const receiving = (driver?.waits ?? []).filter((w) => w.file === input.result.fileName && w.mailboxes.some((m) => data.requests.includes(m.name)));
  const span = (n: ts.Node) => ({ start: document.positionAt(n.getStart(sf)), end: document.positionAt(n.getEnd()) });
  const candidates: ReplyCandidate[] = [];

  let outermost: ts.Node = statement;
  for (let n: ts.Node | undefined = statement.parent; n !== undefined && !ts.isFunctionLike(n); n = n.parent) {
    if (!isLoop(n)) continue;
    if (receiving.some((w) => rangeInside(w.range, span(n)))) break;
    outermost = n;
  }
  if (outermost !== statement) {
    const at = document.positionAt(outermost.getStart(sf));
    candidates.push({
      where: "before the loop",
      edits: [{ range: { start: at, end: at }, newText: `${data.sendText}${nl}${indentAt(text, outermost.getStart(sf))}` }],
    });
  }

  // The wait receives the request itself: the reply is owed when a `continue` comes back to it.
  const waitReceives = receiving.some((w) => sameRange(w.range, waitRange));
  const loop = statement.parent !== undefined && ts.isBlock(statement.parent) && isLoop(statement.parent.parent) ? statement.parent.parent : undefined;
  if (waitReceives && loop !== undefined) {
    // Which `continue` carries the debt needs the flow (`if (a.mb !== open) continue;` does not):
    // each one alone, then all together, each to be checked by re-analysis.
    const continues = continuesOf(loop, statement.getEnd()).slice(0, 4);
    const sendBefore = (c: ts.ContinueStatement): TextEdit => {
      const start = document.positionAt(c.getStart(sf));
      if (ts.isBlock(c.parent) || ts.isCaseClause(c.parent) || ts.isDefaultClause(c.parent)) {
        return { range: { start, end: start }, newText: `${data.sendText}${nl}${indentAt(text, c.getStart(sf))}` };
      }
      // `if (failed) continue;`: the branch becomes a block.
      return { range: { start, end: document.positionAt(c.getEnd()) }, newText: `{ ${data.sendText} ${c.getText(sf)} }` };
    };
    for (const c of continues) candidates.push({ where: "before continue", edits: [sendBefore(c)], needsCheck: true });
    if (continues.length > 1) candidates.push({ where: "before continue", edits: continues.map(sendBefore), needsCheck: true });
  }
  candidates.push(given);
  return bindSend(candidates, data);
}

/** Every candidate also destructures `send` when the driver's context pattern lacks it. */
function bindSend(candidates: ReplyCandidate[], data: OwedReplyData): ReplyCandidate[] {
  const binding = data.bindSend;
  if (binding === undefined) return candidates;
  const edit: TextEdit = { range: { start: binding.position, end: binding.position }, newText: binding.text };
  return candidates.map((c) => ({ ...c, edits: [edit, ...c.edits] }));
}
