// Seeded, syntax-aware mutations of a driver's text: the mistakes and half-typed states an editor
// sees. Each operator works on the parsed tree and edits the text, so a mutant is always text a
// user could have typed (it need not parse).
import ts from "typescript";

/** A small fast PRNG (mulberry32): the same seed gives the same mutants on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const operators = ["deleteStatement", "duplicateStatement", "swapMailbox", "dropBreak", "wrapInTry", "renameState", "truncate"] as const;
export type Operator = (typeof operators)[number];

export interface Mutant {
  operator: Operator;
  text: string;
  /** What changed, for a report: the offset and a short description. */
  at: number;
  detail: string;
}

function pick<T>(rnd: () => number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rnd() * items.length)];
}

interface Parts {
  sf: ts.SourceFile;
  statements: ts.Statement[];
  jumps: Array<ts.BreakStatement | ts.ContinueStatement>;
  /** Identifiers and property names that name a mailbox in a wait or send (`open`, `d.mb.close`). */
  mailboxes: ts.Identifier[];
  strings: ts.StringLiteral[];
}

const mailboxCallees = new Set(["wait", "send"]);

function partsOf(fileName: string, text: string): Parts {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parts: Parts = { sf, statements: [], jumps: [], mailboxes: [], strings: [] };
  const visit = (n: ts.Node): void => {
    if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) parts.statements.push(...n.statements);
    if (ts.isBreakStatement(n) || ts.isContinueStatement(n)) parts.jumps.push(n);
    if (ts.isStringLiteral(n)) parts.strings.push(n);
    if (ts.isCallExpression(n)) {
      const callee = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : ts.isIdentifier(n.expression) ? n.expression.text : undefined;
      if (callee !== undefined && mailboxCallees.has(callee)) {
        for (const arg of n.arguments) {
          if (ts.isIdentifier(arg)) parts.mailboxes.push(arg);
          else if (ts.isPropertyAccessExpression(arg)) parts.mailboxes.push(arg.name as ts.Identifier);
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  parts.statements.push(...sf.statements);
  ts.forEachChild(sf, visit);
  return parts;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** One mutant of `text` by `operator`, or undefined when the file offers the operator nothing to work on. */
export function mutate(fileName: string, text: string, operator: Operator, rnd: () => number): Mutant | undefined {
  const parts = partsOf(fileName, text);
  const { sf } = parts;
  switch (operator) {
    case "deleteStatement": {
      const s = pick(rnd, parts.statements);
      return s && { operator, text: splice(text, s.getStart(sf), s.getEnd(), ""), at: s.getStart(sf), detail: `delete ${ts.SyntaxKind[s.kind]}` };
    }
    case "duplicateStatement": {
      const s = pick(rnd, parts.statements);
      return (
        s && { operator, text: splice(text, s.getEnd(), s.getEnd(), `\n${s.getText(sf)}`), at: s.getStart(sf), detail: `duplicate ${ts.SyntaxKind[s.kind]}` }
      );
    }
    case "swapMailbox": {
      const from = pick(rnd, parts.mailboxes);
      const names = [...new Set(parts.mailboxes.map((m) => m.text))];
      const to = pick(
        rnd,
        names.filter((n) => n !== from?.text),
      );
      return from && to !== undefined
        ? { operator, text: splice(text, from.getStart(sf), from.getEnd(), to), at: from.getStart(sf), detail: `${from.text} -> ${to}` }
        : undefined;
    }
    case "dropBreak": {
      const j = pick(rnd, parts.jumps);
      return j && { operator, text: splice(text, j.getStart(sf), j.getEnd(), ""), at: j.getStart(sf), detail: `drop ${j.getText(sf)}` };
    }
    case "wrapInTry": {
      const s = pick(
        rnd,
        parts.statements.filter((x) => !ts.isImportDeclaration(x) && !ts.isExportDeclaration(x)),
      );
      if (!s) return undefined;
      const tail = rnd() < 0.5 ? " finally {\n}" : " catch {\n}";
      return {
        operator,
        text: splice(text, s.getStart(sf), s.getEnd(), `try {\n${s.getText(sf)}\n}${tail}`),
        at: s.getStart(sf),
        detail: `wrap ${ts.SyntaxKind[s.kind]}${tail.trim().split(" ")[0]}`,
      };
    }
    case "renameState": {
      const str = pick(
        rnd,
        parts.strings.filter((x) => /^[A-Za-z_]\w*$/.test(x.text)),
      );
      if (!str) return undefined;
      const others = [...new Set(parts.strings.map((x) => x.text).filter((t) => /^[A-Za-z_]\w*$/.test(t) && t !== str.text)), "renamed"];
      const to = pick(rnd, others)!;
      return { operator, text: splice(text, str.getStart(sf), str.getEnd(), JSON.stringify(to)), at: str.getStart(sf), detail: `"${str.text}" -> "${to}"` };
    }
    case "truncate": {
      // At a token boundary: the start of a random token.
      const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
      const starts: number[] = [];
      while (scanner.scan() !== ts.SyntaxKind.EndOfFileToken) starts.push(scanner.getTokenStart());
      const at = pick(rnd, starts) ?? 0;
      return { operator, text: text.slice(0, at), at, detail: `truncate at ${at}` };
    }
  }
}
