// Where a handler for a newly waited message goes: the `switch` or `if` chain that dispatches on
// the wait's result (`switch (r.name)`, `switch (r.mb)`, `if (r.mb === open)`, `if (r.name === "open")`).
// When no such dispatch follows the wait, there is no stub (the quick fix only adds the argument).
import ts from "typescript";
import { indentAt, indentUnit, lineBreak, nodeSpanning } from "./parse";

export interface StubEdit {
  /** Offset where `text` is inserted. */
  offset: number;
  text: string;
}

type Dispatch = { kind: "switch"; statement: ts.SwitchStatement; on: "name" | "mb" } | { kind: "if"; statement: ts.IfStatement; on: "name" | "mb" };

/** `r.name` / `r.mb` where `r` is the result variable. */
function resultMember(expr: ts.Expression, variable: string): "name" | "mb" | undefined {
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (!ts.isPropertyAccessExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== variable) return undefined;
  return expr.name.text === "name" || expr.name.text === "mb" ? expr.name.text : undefined;
}

/** `r.mb === x` / `x === r.mb` (also `==`): the member tested for equality. */
function equalityTest(condition: ts.Expression, variable: string): "name" | "mb" | undefined {
  while (ts.isParenthesizedExpression(condition)) condition = condition.expression;
  if (!ts.isBinaryExpression(condition)) return undefined;
  const op = condition.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
  return resultMember(condition.left, variable) ?? resultMember(condition.right, variable);
}

/** The variable a wait call's result is stored in: `const r = await d.wait(...)`. */
export function resultVariableOf(call: ts.CallExpression): ts.VariableDeclaration | undefined {
  let node: ts.Node = call.parent;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) node = node.parent;
  return ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) ? node : undefined;
}

function findDispatch(declaration: ts.VariableDeclaration, variable: string): Dispatch | undefined {
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement)) return undefined;
  const container = statement.parent;
  const statements: readonly ts.Statement[] | undefined =
    ts.isBlock(container) || ts.isSourceFile(container) || ts.isCaseClause(container) || ts.isDefaultClause(container) || ts.isModuleBlock(container)
      ? container.statements
      : undefined;
  if (statements === undefined) return undefined;
  for (const next of statements.slice(statements.indexOf(statement) + 1)) {
    if (ts.isSwitchStatement(next)) {
      const on = resultMember(next.expression, variable);
      if (on !== undefined) return { kind: "switch", statement: next, on };
    } else if (ts.isIfStatement(next)) {
      const on = equalityTest(next.expression, variable);
      if (on !== undefined) return { kind: "if", statement: next, on };
    }
  }
  return undefined;
}

function endsInJump(statements: readonly ts.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (last === undefined) return false;
  if (ts.isBlock(last)) return endsInJump(last.statements);
  return ts.isBreakStatement(last) || ts.isContinueStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last);
}

function testText(on: "name" | "mb", variable: string, message: string, mailboxText: string): string {
  return on === "name" ? `${variable}.name === ${JSON.stringify(message)}` : `${variable}.mb === ${mailboxText}`;
}

function switchStub(
  sf: ts.SourceFile,
  dispatch: Extract<Dispatch, { kind: "switch" }>,
  messages: readonly string[],
  mailboxText: Record<string, string>,
): StubEdit {
  const text = sf.text;
  const nl = lineBreak(text);
  const clauses = dispatch.statement.caseBlock.clauses;
  const labels = messages.map((m) => `case ${dispatch.on === "name" ? JSON.stringify(m) : (mailboxText[m] ?? m)}: /* TODO */ break;`);
  const last = clauses[clauses.length - 1];
  if (last === undefined) {
    const indent = indentAt(text, dispatch.statement.getStart(sf));
    const inner = indent + indentUnit(text);
    const open = dispatch.statement.caseBlock.getStart(sf) + 1;
    return { offset: open, text: labels.map((l) => `${nl}${inner}${l}`).join("") + nl + indent };
  }
  // Appending after a last clause that falls off its end would make it fall into the stub: then
  // the stub goes first, where nothing falls into it.
  if (ts.isCaseClause(last) && endsInJump(last.statements)) {
    const indent = indentAt(text, last.getStart(sf));
    return { offset: last.getEnd(), text: labels.map((l) => `${nl}${indent}${l}`).join("") };
  }
  const first = clauses[0]!;
  const indent = indentAt(text, first.getStart(sf));
  return { offset: first.getStart(sf), text: labels.map((l) => `${l}${nl}${indent}`).join("") };
}

function ifStub(
  sf: ts.SourceFile,
  dispatch: Extract<Dispatch, { kind: "if" }>,
  variable: string,
  messages: readonly string[],
  mailboxText: Record<string, string>,
): StubEdit {
  const text = sf.text;
  const nl = lineBreak(text);
  const indent = indentAt(text, dispatch.statement.getStart(sf));
  const inner = indent + indentUnit(text);
  const branch = (m: string): string => `if (${testText(dispatch.on, variable, m, mailboxText[m] ?? m)}) {${nl}${inner}// TODO: handle ${m}${nl}${indent}}`;
  // Walk the `else if` chain to its end.
  let last = dispatch.statement;
  while (last.elseStatement !== undefined && ts.isIfStatement(last.elseStatement)) last = last.elseStatement;
  if (!ts.isBlock(last.thenStatement)) {
    // `if (r.mb === close) break;`: a separate statement reads better than `break; else if`.
    return { offset: dispatch.statement.getEnd(), text: messages.map((m) => `${nl}${indent}${branch(m)}`).join("") };
  }
  if (last.elseStatement !== undefined) {
    // A final plain `else`: the new branches go before it.
    const elseKeyword = text.lastIndexOf("else", last.elseStatement.getStart(sf));
    return { offset: elseKeyword, text: messages.map((m) => `else ${branch(m)} `).join("") };
  }
  return { offset: last.getEnd(), text: messages.map((m) => ` else ${branch(m)}`).join("") };
}

/**
 * The stub handling `messages` after the wait call spanning [callStart, callEnd), or undefined when
 * the result is not stored or not dispatched on in the statements that follow.
 */
export function handlerStub(
  sf: ts.SourceFile,
  callStart: number,
  callEnd: number,
  messages: readonly string[],
  mailboxText: Record<string, string>,
): StubEdit | undefined {
  const call = nodeSpanning(sf, callStart, callEnd, ts.isCallExpression);
  if (call === undefined) return undefined;
  const declaration = resultVariableOf(call);
  if (declaration === undefined || !ts.isIdentifier(declaration.name)) return undefined;
  const variable = declaration.name.text;
  const dispatch = findDispatch(declaration, variable);
  if (dispatch === undefined) return undefined;
  return dispatch.kind === "switch" ? switchStub(sf, dispatch, messages, mailboxText) : ifStub(sf, dispatch, variable, messages, mailboxText);
}

export interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** A name for the result that the enclosing block does not use yet (`r`, `r2`, ...). */
function freshName(text: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? "r" : `r${i}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

/**
 * For a bare `await d.wait(open);` statement whose missing messages leave the state unchanged:
 * the statement becomes a loop that handles them and goes on waiting, so the code after the wait
 * still runs only for the messages it was written for.
 *   for (;;) {
 *     const r = await d.wait(open, txTimeout);
 *     if (r.mb !== txTimeout) break;
 *     // TODO: handle txTimeout
 *   }
 */
export function waitLoop(
  sf: ts.SourceFile,
  callStart: number,
  callEnd: number,
  messages: readonly string[],
  mailboxText: Record<string, string>,
): Replacement | undefined {
  const call = nodeSpanning(sf, callStart, callEnd, ts.isCallExpression);
  if (call === undefined || !ts.isAwaitExpression(call.parent) || !ts.isExpressionStatement(call.parent.parent)) return undefined;
  const statement = call.parent.parent;
  const text = sf.text;
  const nl = lineBreak(text);
  const indent = indentAt(text, statement.getStart(sf));
  const inner = indent + indentUnit(text);
  const name = freshName(statement.parent.getText(sf));
  const args = [...call.arguments.map((a) => a.getText(sf)), ...messages.map((m) => mailboxText[m] ?? m)];
  const callee = call.expression.getText(sf);
  const test = messages.map((m) => `${name}.mb !== ${mailboxText[m] ?? m}`).join(" && ");
  const lines = [
    "for (;;) {",
    `${inner}const ${name} = await ${callee}(${args.join(", ")});`,
    `${inner}if (${test}) break;`,
    `${inner}// TODO: handle ${messages.join(", ")}`,
    `${indent}}`,
  ];
  return { start: statement.getStart(sf), end: statement.getEnd(), text: lines.join(nl) };
}
