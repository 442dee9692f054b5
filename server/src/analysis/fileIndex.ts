// One walk over a source file collects what the rules look up: driver and protocol calls, the names
// that steer control flow (tested, compared, returned, passed on), assignments, the identifiers
// inside conditions, and the exits of every loop. Cached per parsed file, so an unchanged file (a
// protocol, a helper) is walked once per workspace.
import ts from "typescript";
import { calleeName, isAssignmentOperator, unwrap } from "./syntax";

const SK = ts.SyntaxKind;

export interface FileIndex {
  driverCalls: ts.CallExpression[];
  protocolCalls: ts.CallExpression[];
  /**
   * Names whose value can steer control flow (a name-based over-approximation), minus counters:
   * names updated by `++`, `--`, `+=`, ... or `x = x + 1`, whose values would only multiply states.
   */
  trackedNames: Set<string>;
  /** `name = value` and `let name = value`: candidates for state-like variables. */
  valueAssignments: Array<{ name: string; value: ts.Expression }>;
  /** `name = ...`, `name += ...`: the assignment expressions, by target. */
  assignments: Array<{ target: ts.Identifier; node: ts.Expression }>;
  /** Identifiers inside if/loop/switch/case/ternary conditions. */
  conditionIdentifiers: ts.Identifier[];
  /** For each loop: the conditions that decide its exits (loop condition, guards of break/return/throw). */
  loopExits: Map<ts.Node, LoopExits>;
  /** Every `x.y` (for mailbox bindings: `d.mb.open`). */
  propertyAccesses: ts.PropertyAccessExpression[];
  /** Variable declarations and binding elements with a plain name. */
  declarations: Array<ts.VariableDeclaration | ts.BindingElement>;
  /** Identifiers that refer to something (not declared names, not property names). */
  references: ts.Identifier[];
}

export interface LoopExits {
  tests: ts.Expression[];
  /** Some exit is not guarded by any condition. */
  unconditional: boolean;
}

/** A construct `break` can leave: a loop, a switch, or a labeled statement. */
interface Breakable {
  loop?: ts.Node;
  isSwitch: boolean;
  labels: readonly string[];
  /** Guards (if-conditions) already open when the construct started. */
  guardDepth: number;
}

const cache = new WeakMap<ts.SourceFile, FileIndex>();

/** The identifier at the root of `a`, `a.b.c`, `a[0]`. */
export function rootName(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isAwaitExpression(e)) e = unwrap(e.expression);
  return ts.isIdentifier(e) ? e.text : undefined;
}

const enum Mode {
  Plain,
  /** Inside a condition: identifiers are tests (tracked, and AD012 tests). */
  Condition,
  /** Inside a return: identifiers are tracked. */
  Tracked,
}

export function fileIndex(sf: ts.SourceFile): FileIndex {
  const found = cache.get(sf);
  if (found) return found;
  const index: FileIndex = {
    driverCalls: [],
    protocolCalls: [],
    trackedNames: new Set(),
    valueAssignments: [],
    assignments: [],
    conditionIdentifiers: [],
    loopExits: new Map(),
    propertyAccesses: [],
    declarations: [],
    references: [],
  };
  const guards: ts.Expression[] = [];
  let breakables: Breakable[] = [];
  let pendingLabels: string[] = [];
  const exitFrom = (frame: Breakable): void => {
    const exits = index.loopExits.get(frame.loop!)!;
    if (guards.length === frame.guardDepth) exits.unconditional = true;
    else for (let i = frame.guardDepth; i < guards.length; i++) exits.tests.push(guards[i]!);
  };
  /** Visits a loop or switch body as a frame `break` can leave. */
  const enter = (n: ts.Node, isSwitch: boolean, body: () => void): void => {
    const labels = pendingLabels;
    pendingLabels = [];
    if (!isSwitch) {
      const cond = ts.isWhileStatement(n) || ts.isDoStatement(n) ? n.expression : ts.isForStatement(n) ? n.condition : undefined;
      const tests = cond && unwrap(cond).kind !== SK.TrueKeyword ? [cond] : [];
      index.loopExits.set(n, { tests, unconditional: false });
    }
    breakables.push({ ...(isSwitch ? {} : { loop: n }), isSwitch, labels, guardDepth: guards.length });
    body();
    breakables.pop();
  };
  const tested = index.trackedNames;
  const counters = new Set<string>();
  const flows: Array<[string, string]> = [];
  const mark = (expr: ts.Expression | undefined): void => {
    const name = rootName(expr);
    if (name !== undefined) tested.add(name);
  };
  const flow = (target: string, source: ts.Expression | undefined): void => {
    if (!source) return;
    const s = unwrap(source);
    for (const src of ts.isConditionalExpression(s) ? [s.whenTrue, s.whenFalse] : [s]) {
      const name = rootName(src);
      if (name !== undefined) flows.push([target, name]);
    }
  };

  // The walk keeps its mode in one variable (no closure per node: this runs on every edit).
  let mode = Mode.Plain;
  const visitIn = (n: ts.Node | undefined, m: Mode): void => {
    if (!n) return;
    const saved = mode;
    mode = m;
    visit(n);
    mode = saved;
  };
  const visit = (n: ts.Node): void => {
    switch (n.kind) {
      case SK.Identifier: {
        const id = n as ts.Identifier;
        if (isReference(id)) index.references.push(id);
        if (mode !== Mode.Plain) tested.add(id.text);
        if (mode === Mode.Condition) index.conditionIdentifiers.push(id);
        return;
      }
      case SK.PropertyAccessExpression: {
        const pa = n as ts.PropertyAccessExpression;
        index.propertyAccesses.push(pa);
        visit(pa.expression);
        return;
      }
      case SK.BindingElement:
        if ((n as ts.BindingElement).name.kind === SK.Identifier) index.declarations.push(n as ts.BindingElement);
        break;
      case SK.IfStatement: {
        const s = n as ts.IfStatement;
        pendingLabels = [];
        visitIn(s.expression, Mode.Condition);
        guards.push(s.expression);
        visitIn(s.thenStatement, Mode.Plain);
        visitIn(s.elseStatement, Mode.Plain);
        guards.pop();
        return;
      }
      case SK.WhileStatement:
      case SK.DoStatement: {
        const s = n as ts.WhileStatement | ts.DoStatement;
        enter(s, false, () => {
          visitIn(s.expression, Mode.Condition);
          visitIn(s.statement, Mode.Plain);
        });
        return;
      }
      case SK.SwitchStatement: {
        const s = n as ts.SwitchStatement;
        visitIn(s.expression, Mode.Condition);
        enter(s, true, () => visitIn(s.caseBlock, Mode.Plain));
        return;
      }
      case SK.ForStatement: {
        const s = n as ts.ForStatement;
        enter(s, false, () => {
          visitIn(s.initializer, Mode.Plain);
          visitIn(s.condition, Mode.Condition);
          visitIn(s.incrementor, Mode.Plain);
          visitIn(s.statement, Mode.Plain);
        });
        return;
      }
      case SK.ForOfStatement:
      case SK.ForInStatement:
        enter(n, false, () => ts.forEachChild(n, visit));
        return;
      case SK.LabeledStatement: {
        const l = n as ts.LabeledStatement;
        const labels = [...pendingLabels, l.label.text];
        if (ts.isLabeledStatement(l.statement) || isLoopKind(l.statement.kind) || ts.isSwitchStatement(l.statement)) {
          pendingLabels = labels;
          visit(l.statement);
        } else {
          pendingLabels = [];
          breakables.push({ isSwitch: false, labels, guardDepth: guards.length });
          visit(l.statement);
          breakables.pop();
        }
        return;
      }
      case SK.BreakStatement: {
        const label = (n as ts.BreakStatement).label?.text;
        for (let i = breakables.length - 1; i >= 0; i--) {
          const frame = breakables[i]!;
          if (label === undefined ? frame.loop !== undefined || frame.isSwitch : frame.labels.includes(label)) {
            if (frame.loop) exitFrom(frame);
            break;
          }
        }
        return;
      }
      case SK.ReturnStatement:
      case SK.ThrowStatement:
        for (const frame of breakables) if (frame.loop) exitFrom(frame);
        if (n.kind === SK.ReturnStatement) {
          visitIn((n as ts.ReturnStatement).expression, mode === Mode.Condition ? mode : Mode.Tracked);
          return;
        }
        break;
      case SK.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        visitIn(c.condition, Mode.Condition);
        visit(c.whenTrue);
        visit(c.whenFalse);
        return;
      }
      case SK.CaseClause: {
        const c = n as ts.CaseClause;
        visitIn(c.expression, Mode.Condition);
        for (const s of c.statements) visitIn(s, Mode.Plain);
        return;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = n as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === SK.ExclamationToken) mark(u.operand);
        else if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) {
          const operand = unwrap(u.operand);
          if (ts.isIdentifier(operand)) counters.add(operand.text);
        }
        break;
      }
      case SK.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (
          op === SK.EqualsEqualsEqualsToken ||
          op === SK.ExclamationEqualsEqualsToken ||
          op === SK.EqualsEqualsToken ||
          op === SK.ExclamationEqualsToken ||
          op === SK.AmpersandAmpersandToken ||
          op === SK.BarBarToken
        ) {
          mark(b.left);
          mark(b.right);
        } else if (isAssignmentOperator(op)) {
          const left = unwrap(b.left);
          if (ts.isIdentifier(left)) {
            index.assignments.push({ target: left, node: b });
            flow(left.text, b.right);
            if (op === SK.EqualsToken) index.valueAssignments.push({ name: left.text, value: b.right });
            if (op !== SK.EqualsToken || isSelfArithmetic(left.text, b.right)) counters.add(left.text);
          }
        }
        break;
      }
      case SK.CallExpression: {
        const call = n as ts.CallExpression;
        for (const a of call.arguments) mark(a);
        const name = calleeName(call);
        if (name === "defineDriver" || name === "definePassiveDriver") index.driverCalls.push(call);
        else if (name === "defineProtocol") index.protocolCalls.push(call);
        break;
      }
      case SK.VariableDeclaration: {
        const d = n as ts.VariableDeclaration;
        if (ts.isIdentifier(d.name)) {
          index.declarations.push(d);
          flow(d.name.text, d.initializer);
          if (d.initializer) index.valueAssignments.push({ name: d.name.text, value: d.initializer });
        }
        break;
      }
      default:
        if (startsBody.has(n.kind)) {
          // A function body starts afresh: no enclosing condition, loop or switch.
          const saved = { mode, breakables, guards: guards.splice(0), pendingLabels };
          mode = Mode.Plain;
          breakables = [];
          pendingLabels = [];
          ts.forEachChild(n, visit);
          mode = saved.mode;
          breakables = saved.breakables;
          guards.push(...saved.guards);
          pendingLabels = saved.pendingLabels;
          return;
        }
        break;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);

  let changed = true;
  while (changed) {
    changed = false;
    for (const [target, source] of flows) {
      if (tested.has(target) && !tested.has(source)) {
        tested.add(source);
        changed = true;
      }
    }
  }
  for (const name of counters) tested.delete(name);
  cache.set(sf, index);
  return index;
}

/** Kinds whose body is a new function (or class) context. */
const startsBody = new Set([
  SK.FunctionDeclaration,
  SK.FunctionExpression,
  SK.ArrowFunction,
  SK.MethodDeclaration,
  SK.Constructor,
  SK.GetAccessor,
  SK.SetAccessor,
  SK.ClassDeclaration,
  SK.ClassExpression,
]);

/** An identifier that refers to a declaration (not a declared name, a property name or a label). */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case SK.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name !== id;
    case SK.BindingElement:
      return (p as ts.BindingElement).name !== id && (p as ts.BindingElement).propertyName !== id;
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ClassDeclaration:
    case SK.EnumDeclaration:
    case SK.ImportSpecifier:
    case SK.ImportClause:
    case SK.NamespaceImport:
    case SK.PropertyAssignment:
    case SK.MethodDeclaration:
    case SK.PropertySignature:
    case SK.PropertyDeclaration:
    case SK.EnumMember:
    case SK.InterfaceDeclaration:
    case SK.TypeAliasDeclaration:
      return (p as ts.NamedDeclaration).name !== id;
    case SK.LabeledStatement:
    case SK.BreakStatement:
    case SK.ContinueStatement:
      return false;
    default:
      return true;
  }
}

function isLoopKind(kind: ts.SyntaxKind): boolean {
  return kind === SK.WhileStatement || kind === SK.DoStatement || kind === SK.ForStatement || kind === SK.ForOfStatement || kind === SK.ForInStatement;
}

/** `x + 1`, `x * 2 - y`: arithmetic on the variable itself. */
function isSelfArithmetic(name: string, value: ts.Expression): boolean {
  const e = unwrap(value);
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op < SK.FirstBinaryOperator || op > SK.LastBinaryOperator || op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) return false;
  const mentions = (x: ts.Expression): boolean => {
    const u = unwrap(x);
    return (ts.isIdentifier(u) && u.text === name) || (ts.isBinaryExpression(u) && (mentions(u.left) || mentions(u.right)));
  };
  return mentions(e);
}
