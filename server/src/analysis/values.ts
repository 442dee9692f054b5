// Abstract values the interpreter tracks in local variables and fields, encoded as short strings so
// states compare and hash cheaply: `s:text`, `n:42`, `b:1`/`b:0`, `u` (undefined), `l` (null),
// `e:<enum member>` (an enum member whose value is not literal), `m:<mailbox key>` (a mailbox),
// `r:<mailbox key>` (a wait result that came from that mailbox; keys in mailboxKeys.ts). Unknown is
// `undefined`. Only this module builds or reads the encoding: code elsewhere uses the constructors
// and decoders below. Static values (literals, consts, enum and `as const` members) need no state.
import ts from "typescript";
import { isUnknownMailbox, mailboxName, UNKNOWN_MAILBOX, type MailboxKey } from "./mailboxKeys";
import type { Modules, Target } from "./modules";
import { isConstDeclaration } from "./scope";
import { memberAccess, propertyNameText, unwrap } from "./syntax";

const SK = ts.SyntaxKind;

export type StringValue = `s:${string}`;
export type NumberValue = `n:${number}`;
export type BooleanValue = "b:1" | "b:0";
/** An enum member whose value is not a literal, by its qualified name (`State.Open`). */
export type EnumValue = `e:${string}`;
export type MailboxValue = `m:${MailboxKey}`;
/** What `await d.wait(...)` gives: a message from that mailbox. */
export type WaitResult = `r:${MailboxKey}`;
export type Value = StringValue | NumberValue | BooleanValue | typeof UNDEFINED | typeof NULL | EnumValue | MailboxValue | WaitResult;

/** JS `undefined` (an unknown mailbox is another thing: UNKNOWN_MAILBOX, a key). */
export const UNDEFINED = "u";
export const NULL = "l";
const TRUE: BooleanValue = "b:1";
const FALSE: BooleanValue = "b:0";
const ZERO: NumberValue = "n:0";
const NOT_A_NUMBER = `n:${NaN}` as NumberValue; // "NaN" is no `${number}` for the type checker
const UNKNOWN_MAILBOX_VALUE: MailboxValue = `m:${UNKNOWN_MAILBOX}`;
const UNKNOWN_WAIT_RESULT: WaitResult = `r:${UNKNOWN_MAILBOX}`;

/** A string with this text. */
export function textValue(text: string): StringValue {
  return `s:${text}`;
}

export function numberValue(n: number): NumberValue {
  return `n:${n}`;
}

export function boolValue(b: boolean): BooleanValue {
  return b ? TRUE : FALSE;
}

export function enumMemberValue(qualifiedName: string): EnumValue {
  return `e:${qualifiedName}`;
}

/** A mailbox as a value (`d.mb.open` held in a variable, `r.mb`). */
export function mailboxValue(key: MailboxKey): MailboxValue {
  return `m:${key}`;
}

export function waitResult(key: MailboxKey): WaitResult {
  return `r:${key}`;
}

/** The text of a string value (`s:closed` -> `closed`); undefined for any other value. */
export function stringValue(v: Value | undefined): string | undefined {
  return v !== undefined && v.startsWith("s:") ? v.slice(2) : undefined;
}

/** The number a number value holds; undefined for any other value. */
export function numericValue(v: Value | undefined): number | undefined {
  return v !== undefined && v.startsWith("n:") ? Number(v.slice(2)) : undefined;
}

/** The mailbox a mailbox value stands for; undefined for any other value. */
export function mailboxOfValue(v: Value | undefined): MailboxKey | undefined {
  return v !== undefined && v.startsWith("m:") ? (v.slice(2) as MailboxKey) : undefined;
}

export function isWaitResult(v: Value | undefined): v is WaitResult {
  return v !== undefined && v.startsWith("r:");
}

/** The mailbox a wait result came from; undefined for any other value. */
export function mailboxOfWaitResult(v: Value | undefined): MailboxKey | undefined {
  return isWaitResult(v) ? (v.slice(2) as MailboxKey) : undefined;
}

/** `r.mb` / `r.name` of a wait result value (the name of an unknown mailbox is unknown). */
export function waitResultMember(result: Value | undefined, name: string | undefined): Value | undefined {
  const key = mailboxOfWaitResult(result);
  if (key === undefined) return undefined;
  if (name === "mb") return mailboxValue(key);
  if (name === "name") return isUnknownMailbox(key) ? undefined : textValue(mailboxName(key));
  return undefined;
}

export function truthiness(v: Value | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  switch (v[0]) {
    case "s":
      return v.length > 2;
    case "n":
      return v !== ZERO && v !== NOT_A_NUMBER;
    case "b":
      return v === TRUE;
    case "u":
    case "l":
      return false;
    case "m":
    case "r":
      return true;
    default:
      return undefined;
  }
}

/** Strict equality of two abstract values; undefined when it cannot be told. */
export function valuesEqual(a: Value | undefined, b: Value | undefined, loose: boolean): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === UNKNOWN_MAILBOX_VALUE || b === UNKNOWN_MAILBOX_VALUE || a === UNKNOWN_WAIT_RESULT || b === UNKNOWN_WAIT_RESULT) return undefined;
  if (a === b) return true;
  if (loose && (a === UNDEFINED || a === NULL) && (b === UNDEFINED || b === NULL)) return true;
  if (a[0] === "e" || b[0] === "e") return a[0] === b[0] ? false : undefined;
  return false;
}

/** A literal's value: its own text (cheaper to build than to look up). */
function literalValue(e: ts.LiteralExpression): Value {
  return e.kind === SK.NumericLiteral ? numberValue(Number(e.text)) : textValue(e.text);
}

/** Values of literals and of names bound to literals once and for all. */
export class StaticValues {
  private readonly cache = new Map<ts.Node, Value | null>();
  private readonly enumCache = new WeakMap<ts.EnumDeclaration, Map<string, Value>>();
  private depth = 0;

  constructor(private readonly modules: Modules) {}

  of(expr: ts.Expression): Value | undefined {
    const e = unwrap(expr);
    switch (e.kind) {
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
      case SK.NumericLiteral:
        return literalValue(e as ts.LiteralExpression);
      case SK.TrueKeyword:
        return TRUE;
      case SK.FalseKeyword:
        return FALSE;
      case SK.NullKeyword:
        return NULL;
      case SK.Identifier:
      case SK.PropertyAccessExpression:
      case SK.ElementAccessExpression:
      case SK.PrefixUnaryExpression:
        break;
      default:
        return undefined; // no other expression has a static value (see compute)
    }
    const cached = this.cache.get(e);
    if (cached !== undefined) return cached ?? undefined;
    if (this.depth > 12) return undefined;
    this.depth++;
    let v: Value | undefined;
    try {
      v = this.compute(e);
    } finally {
      this.depth--;
    }
    this.cache.set(e, v ?? null);
    return v;
  }

  private compute(e: ts.Expression): Value | undefined {
    switch (e.kind) {
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
        return textValue((e as ts.StringLiteralLike).text);
      case SK.NumericLiteral:
        return numberValue(Number((e as ts.NumericLiteral).text));
      case SK.TrueKeyword:
        return TRUE;
      case SK.FalseKeyword:
        return FALSE;
      case SK.NullKeyword:
        return NULL;
      default:
        break;
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === SK.MinusToken && ts.isNumericLiteral(unwrap(e.operand))) {
      return numberValue(-Number((unwrap(e.operand) as ts.NumericLiteral).text));
    }
    if (ts.isIdentifier(e)) {
      if (e.text === "undefined") return UNDEFINED;
      return this.ofTarget(this.modules.resolve(e));
    }
    const access = memberAccess(e);
    if (access) {
      const object = unwrap(access.object);
      const base = ts.isIdentifier(object) ? this.modules.resolve(object) : undefined;
      if (base === undefined) return undefined;
      if (ts.isSourceFile(base)) return this.ofTarget(this.modules.member(base, access.name));
      if (ts.isEnumDeclaration(base)) return this.enumValues(base).get(access.name);
      if (ts.isVariableDeclaration(base) && isConstDeclaration(base) && base.initializer) {
        const obj = constObject(base.initializer);
        const prop = obj?.properties.find((p) => propertyNameText(p.name) === access.name);
        if (prop && ts.isPropertyAssignment(prop)) return this.of(prop.initializer);
      }
    }
    return undefined;
  }

  private ofTarget(target: Target | undefined): Value | undefined {
    if (target === undefined || ts.isSourceFile(target) || ts.isExportAssignment(target)) return undefined;
    if (ts.isVariableDeclaration(target) && ts.isIdentifier(target.name) && target.initializer && isConstDeclaration(target))
      return this.of(target.initializer);
    return undefined;
  }

  enumValues(decl: ts.EnumDeclaration): Map<string, Value> {
    let values = this.enumCache.get(decl);
    if (values) return values;
    values = new Map();
    this.enumCache.set(decl, values);
    let next: number | undefined = 0;
    for (const member of decl.members) {
      const name = propertyNameText(member.name);
      if (name === undefined) continue;
      let v: Value | undefined;
      if (member.initializer) {
        v = this.of(member.initializer);
        const n = numericValue(v);
        next = n !== undefined ? n + 1 : undefined;
      } else if (next !== undefined) {
        v = numberValue(next);
        next++;
      }
      values.set(name, v ?? enumMemberValue(`${decl.name.text}.${name}`));
    }
    return values;
  }
}

/** `{...} as const`, `Object.freeze({...})` or a plain object literal bound with const. */
function constObject(init: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let e = unwrap(init);
  if (ts.isCallExpression(e) && e.arguments.length === 1 && e.expression.getText() === "Object.freeze") e = unwrap(e.arguments[0]!);
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}
