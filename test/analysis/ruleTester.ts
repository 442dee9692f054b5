// A rule tester in the manner of typescript-eslint's RuleTester, for the analyser's diagnostic codes:
// `valid` sources give no finding of the rule's code, `invalid` ones give exactly the findings
// listed (message, range, severity, related information, quick-fix data and the fix's edit).
// Sources live in memory beside the standard Ethernet protocol (`./protocol`) and are analysed
// through the public entry, analyzeFile, as the language server and the CLI do.
//
// Ranges are written in the source with `[|` and `|]` (TypeScript's own test convention): the
// marks are taken out before the analysis, and the n-th marked range of a file is the range of the
// n-th finding expected in it. A finding may give `line`/`column` (1-based) instead.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import {
  analyzeFile,
  ruleInfo,
  SourceLimitError,
  type AnalysisDiagnostic,
  type DiagnosticCode,
  type DiagnosticData,
  type Position,
  type Range,
  type RuleInfo,
} from "../../server/src/analysis";

/** The Ethernet protocol of docs/contracts.md, as `./protocol` exporting `Ethernet`. */
export const ethernetProtocol = `import { defineProtocol, msg } from "active-driver";

export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: {
    open: msg.in({ reply: "openComplete" }),
    openComplete: msg.out<{ status: number }>(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    xmit: msg.in<{ frame: Uint8Array }>(),
    txTimeout: msg.in(),
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", xmit: "open", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
});
`;

/** An active driver of the Ethernet protocol whose main function's body is `body` (the context is `d`). */
export function activeDriver(body: string): string {
  return `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
${body}
});
`;
}

/** A passive driver of the Ethernet protocol whose setup function's body is `body` (the kernel is `k`). */
export function passiveDriver(body: string): string {
  return `import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
${body}
});
`;
}

interface Source {
  /** Optional test name (else the source's first lines). */
  name?: string;
  /** The analysed file's text, `driver.ts` in the test folder. */
  code: string;
  /** Other files by path relative to the test folder (`protocol.ts` is the Ethernet protocol unless given). */
  files?: Record<string, string>;
  /** Files the host refuses to read, by relative path, with the reason (as a SourceLimitError says it). */
  unreadable?: Record<string, string>;
}

export type ValidCase = string | Source;

export interface ExpectedRelated {
  message: string;
  /** 1-based line. */
  line: number;
  /** Relative to the test folder; default `driver.ts`. */
  file?: string;
}

export interface ExpectedFinding {
  /** The whole message, word for word. */
  message: string;
  /** Default: the rule's severity. */
  severity?: AnalysisDiagnostic["severity"];
  /** 1-based start of the range, when the source marks no range for this finding. */
  line?: number;
  column?: number;
  /** The file of a finding in a helper the driver calls (relative); default `driver.ts`. */
  file?: string;
  /** Required when the finding has related information. */
  related?: ExpectedRelated[];
  /** Fields of the quick-fix data (compared field by field; positions are 0-based as in the data). */
  data?: Partial<DiagnosticData>;
  /** The analysed file once the edit the data describes is applied (rules whose data is a fix). */
  output?: string;
}

export interface InvalidCase extends Source {
  errors: ExpectedFinding[];
}

const folder = path.resolve("/rule-tests");
const mainFile = path.join(folder, "driver.ts");

/** Takes the `[|...|]` marks out of a text: the text and the marked ranges, in order. */
export function extractMarks(marked: string): { text: string; ranges: Range[] } {
  const ranges: Range[] = [];
  const open: Position[] = [];
  let text = "";
  let line = 0;
  let character = 0;
  for (let i = 0; i < marked.length; i++) {
    if (marked.startsWith("[|", i)) {
      open.push({ line, character });
      i++;
      continue;
    }
    if (marked.startsWith("|]", i)) {
      const start = open.pop();
      assert.ok(start, `a "|]" with no "[|" before it at line ${line + 1}`);
      ranges.push({ start, end: { line, character } });
      i++;
      continue;
    }
    const c = marked[i]!;
    text += c;
    if (c === "\n") {
      line++;
      character = 0;
    } else character++;
  }
  assert.equal(open.length, 0, `a "[|" with no "|]" after it`);
  ranges.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  return { text, ranges };
}

function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf("\n", offset) + 1;
  return offset + position.character;
}

/** The plain edit a finding's data describes: the fix without the language server's extras (handler stubs). */
export function applyFix(text: string, data: DiagnosticData): string {
  switch (data.kind) {
    case "deadMailbox": {
      const start = offsetAt(text, data.removalRange.start);
      return text.slice(0, start) + text.slice(offsetAt(text, data.removalRange.end));
    }
    case "owedReply": {
      const at = offsetAt(text, data.insertPosition);
      const sent = text.slice(0, at) + data.insertText + text.slice(at);
      if (data.bindSend === undefined) return sent;
      // The binding comes before the send in the text: the send's offset is unaffected by it.
      const bind = offsetAt(sent, data.bindSend.position);
      return sent.slice(0, bind) + data.bindSend.text + sent.slice(bind);
    }
    case "missingMessages": {
      const at = offsetAt(text, data.argumentsEnd);
      const separator = text.slice(0, at).trimEnd().endsWith("(") ? "" : ", ";
      return text.slice(0, at) + separator + data.messages.map((m) => data.mailboxText[m]).join(", ") + text.slice(at);
    }
    default:
      assert.fail(`findings of kind ${data.kind} carry no edit: test their data instead of an output`);
  }
}

interface Analysed {
  /** The analysed file's text without marks. */
  text: string;
  /** Texts (without marks) and marked ranges by relative file name. */
  texts: Map<string, string>;
  marks: Map<string, Range[]>;
  /** Findings of the rule's code, each with its file relative to the test folder, in report order. */
  findings: { file: string; diagnostic: AnalysisDiagnostic }[];
}

function analyse(code: RuleInfo["code"], source: Source): Analysed {
  const marks = new Map<string, Range[]>();
  const texts = new Map<string, string>();
  for (const [name, marked] of Object.entries({ "protocol.ts": ethernetProtocol, ...source.files, "driver.ts": source.code })) {
    const { text, ranges } = extractMarks(marked);
    texts.set(name, text);
    marks.set(name, ranges);
  }
  const text = texts.get("driver.ts")!;
  const readFile = (p: string): string | undefined => {
    const name = path.relative(folder, p).split(path.sep).join("/");
    const reason = source.unreadable?.[name];
    if (reason !== undefined) throw new SourceLimitError(p, reason);
    return texts.get(name);
  };
  const result = analyzeFile(mainFile, text, { readFile });
  assert.deepEqual(result.internalErrors, [], "the analysis reported internal errors");
  assert.equal(result.incomplete, false, "the analysis did not finish");
  const findings = [
    ...result.diagnostics.map((diagnostic) => ({ file: "driver.ts", diagnostic })),
    ...(result.helperDiagnostics ?? []).map((diagnostic) => ({ file: path.relative(folder, diagnostic.file).split(path.sep).join("/"), diagnostic })),
  ].filter((f) => f.diagnostic.code === code);
  return { text, texts, marks, findings };
}

function showRange(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

function show(findings: Analysed["findings"]): string {
  if (findings.length === 0) return "  (none)";
  return findings
    .map(({ file, diagnostic: d }) => `  ${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`)
    .join("\n");
}

function title(source: ValidCase): string {
  if (typeof source !== "string" && source.name !== undefined) return source.name;
  const code = typeof source === "string" ? source : source.code;
  const firstLine = code.split("\n").find((l) => l.trim() !== "" && !l.startsWith("import ")) ?? "";
  return firstLine.trim().slice(0, 80);
}

function checkValid(rule: RuleInfo, source: ValidCase): void {
  const { findings } = analyse(rule.code, typeof source === "string" ? { code: source } : source);
  assert.equal(findings.length, 0, `expected no ${rule.code} finding, got:\n${show(findings)}`);
}

function checkInvalid(rule: RuleInfo, source: InvalidCase): void {
  assert.ok(source.errors.length > 0, "an invalid case lists at least one expected finding");
  const { text, texts, marks, findings } = analyse(rule.code, source);
  assert.equal(findings.length, source.errors.length, `expected ${source.errors.length} ${rule.code} finding(s), got:\n${show(findings)}`);
  const used = new Map<string, number>();
  source.errors.forEach((expected, i) => {
    const { file, diagnostic: actual } = findings[i]!;
    const where = `finding ${i + 1} (${file}:${actual.range.start.line + 1}:${actual.range.start.character + 1})`;
    assert.equal(file, expected.file ?? "driver.ts", `${where}: file`);
    assert.equal(actual.message, expected.message, `${where}: message`);
    assert.equal(actual.severity, expected.severity ?? rule.severity, `${where}: severity`);
    if (expected.line !== undefined) {
      assert.equal(actual.range.start.line + 1, expected.line, `${where}: line`);
      if (expected.column !== undefined) assert.equal(actual.range.start.character + 1, expected.column, `${where}: column`);
    } else {
      const n = used.get(file) ?? 0;
      used.set(file, n + 1);
      const range = marks.get(file)?.[n];
      assert.ok(range, `${where}: mark its range with [| |] in ${file}, or give its line`);
      const fileText = texts.get(file) ?? "";
      const shown = (r: Range): string => `${JSON.stringify(fileText.slice(offsetAt(fileText, r.start), offsetAt(fileText, r.end)))} at ${showRange(r)}`;
      assert.deepEqual(actual.range, range, `${where}: range ${shown(actual.range)}, marked ${shown(range)}`);
    }
    if (actual.related.length > 0 || expected.related !== undefined) {
      assert.ok(expected.related, `${where} has related information: state it (related)`);
      assert.deepEqual(
        actual.related.map((r) => ({ message: r.message, line: r.range.start.line + 1, file: path.relative(folder, r.file).split(path.sep).join("/") })),
        expected.related.map((r) => ({ message: r.message, line: r.line, file: r.file ?? "driver.ts" })),
        `${where}: related information`,
      );
    }
    const fixes = actual.data !== undefined && ["missingMessages", "deadMailbox", "owedReply"].includes(actual.data.kind);
    if (fixes) assert.ok(expected.data !== undefined || expected.output !== undefined, `${where} carries a quick fix: state its data or output`);
    if (expected.data !== undefined) {
      assert.ok(actual.data, `${where}: has no data`);
      for (const [key, value] of Object.entries(expected.data))
        assert.deepEqual((actual.data as unknown as Record<string, unknown>)[key], value, `${where}: data.${key}`);
    }
    if (expected.output !== undefined) {
      assert.ok(actual.data, `${where}: has no data to apply`);
      const fixed = applyFix(text, actual.data);
      assert.notEqual(fixed, text, `${where}: the fix changes nothing`);
      assert.equal(fixed, extractMarks(expected.output).text, `${where}: the text after the fix`);
    }
  });
  for (const [file, ranges] of marks) {
    assert.equal(ranges.length, used.get(file) ?? 0, `${file} marks ${ranges.length} range(s) but ${used.get(file) ?? 0} finding(s) there use a mark`);
  }
}

/** Registers one `node:test` test per case, under a suite named after the rule (its entry in the registry). */
export function ruleTester(code: DiagnosticCode, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  const rule = ruleInfo(code);
  assert.ok(rule, `${code} is not in the rule registry`);
  describe(`${rule.code} ${rule.name}`, () => {
    test("no case is written twice", () => {
      const seen = new Map<string, string>();
      for (const [kind, list] of [
        ["valid", cases.valid],
        ["invalid", cases.invalid],
      ] as const) {
        list.forEach((source, i) => {
          const { code, files, unreadable } = typeof source === "string" ? { code: source } : source;
          const key = JSON.stringify([code, files ?? {}, unreadable ?? {}]);
          const earlier = seen.get(key);
          assert.equal(earlier, undefined, `${kind} case ${i + 1} repeats ${earlier}`);
          seen.set(key, `${kind} case ${i + 1}`);
        });
      }
    });
    for (const source of cases.valid) test(`valid: ${title(source)}`, () => checkValid(rule, source));
    for (const source of cases.invalid) test(`invalid: ${title(source)}`, () => checkInvalid(rule, source));
  });
}
