// AD010: in a passive driver, a variable or field written in one entry point and tested in
// another's control flow: state carried across invocations (stack ripping). Reported at the
// declaration, with where it is written and where it is tested.
import ts from "typescript";
import { defined } from "../../../../runtime/src/defined";
import { resolveLocal } from "../fileIndex";
import type { EntryPoint, PassiveContext, PassiveListener, Rule } from "../listeners";
import { diagnostic, related } from "../report";
import type { Declaration } from "../scope";
import { isConditionPosition, propertyNameText, unwrap } from "../syntax";
import { listText } from "../text";
import type { AnalysisDiagnostic } from "../types";
import { forEachReachedNode } from "../passive/walker";
import { fieldDeclaration, ownField } from "../passive/passiveClass";

export const rule: Rule = {
  code: "AD010",
  severity: "warning",
  name: "StackRipping",
  title: "Passive driver: state carried across entry points in a variable (stack ripping).",
  help: "A variable written in one entry point and tested in another's control flow encodes the driver's control flow in data. An active driver keeps this sequence in its code: one thread, one wait per state.",
  passive: listen,
};

/** AD010. */
export function rippedStateText(variable: string, writtenIn: readonly string[], testedIn: readonly string[]): string {
  return `'${variable}' is written in ${listText(writtenIn)} and tested in ${listText(testedIn)}: state carried across entry points (stack ripping)`;
}

/** A shared variable (`running`) or a field of a shared object (`state.running`, `this.running`). */
interface Shared {
  name: string;
  declNode: ts.Node;
  writes: Map<EntryPoint, ts.Node>;
  tests: Map<EntryPoint, { node: ts.Node; via?: string }>;
}

function isAssignment(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(n: ts.Node): n is ts.PrefixUnaryExpression | ts.PostfixUnaryExpression {
  return (
    (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
    (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
  );
}

function listen({ factory, pc }: PassiveContext): PassiveListener {
  const shared = new Map<ts.Node, Shared>();
  const factoryBody = factory.body;

  /** A variable declared in the factory's own scope or at module level (state outliving one call). */
  const sharedOf = (expr: ts.Expression): Shared | undefined => {
    const e = unwrap(expr);
    if (pc !== undefined) {
      // A class driver's fields outlive every call, as the factory's variables do.
      const name = ownField(pc, e);
      if (name !== undefined) {
        const declNode = pc.kernelFields.has(name) ? undefined : fieldDeclaration(pc, name);
        if (declNode === undefined) return undefined;
        let s = shared.get(declNode);
        if (!s) shared.set(declNode, (s = { name: `this.${name}`, declNode, writes: new Map(), tests: new Map() }));
        return s;
      }
    }
    let id: ts.Identifier | undefined;
    let field: string | undefined;
    if (ts.isIdentifier(e)) id = e;
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(unwrap(e.expression))) {
      id = unwrap(e.expression) as ts.Identifier;
      field = e.name.text;
    } else if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
    if (!id) return undefined;
    const decl: Declaration | undefined = resolveLocal(id);
    if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
    const scope = decl.parent.parent.parent;
    const isShared = scope === factoryBody || ts.isSourceFile(scope);
    if (!isShared) return undefined;
    let declNode: ts.Node = decl;
    let key: ts.Node = decl;
    if (field !== undefined) {
      const init = decl.initializer ? unwrap(decl.initializer) : undefined;
      const prop = init && ts.isObjectLiteralExpression(init) ? init.properties.find((p) => propertyNameText(p.name) === field) : undefined;
      if (!prop) return undefined;
      declNode = prop;
      key = prop;
    } else if ((decl.parent.flags & ts.NodeFlags.Const) !== 0) return undefined;
    let s = shared.get(key);
    if (!s) shared.set(key, (s = { name: field !== undefined ? `${id.text}.${field}` : id.text, declNode, writes: new Map(), tests: new Map() }));
    return s;
  };

  return {
    onEntryPoint(entry) {
      forEachReachedNode(entry, (n, via) => {
        const written = isAssignment(n) ? n.left : isIncrement(n) ? n.operand : undefined;
        if (written !== undefined) {
          const s = sharedOf(written);
          if (s && !s.writes.has(entry)) s.writes.set(entry, n);
        } else if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && isConditionPosition(n)) {
          const s = ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) ? undefined : sharedOf(n);
          if (s && !s.tests.has(entry)) s.tests.set(entry, { node: n, ...defined({ via }) });
        }
      });
    },
    report() {
      const out: AnalysisDiagnostic[] = [];
      for (const s of shared.values()) {
        const writers = [...s.writes.keys()];
        const testers = [...s.tests.keys()].filter((t) => writers.some((w) => w !== t));
        if (writers.length === 0 || testers.length === 0) continue;
        const writer = writers.find((w) => w !== testers[0]) ?? writers[0]!;
        const test = s.tests.get(testers[0]!)!;
        const testedIn = testers.map((t) => {
          const v = s.tests.get(t)!.via;
          return v !== undefined ? `${t.name} (via ${v})` : t.name;
        });
        out.push(
          diagnostic(
            rule,
            s.declNode,
            rippedStateText(
              s.name,
              writers.map((w) => w.name),
              testedIn,
            ),
            {
              related: [related(s.writes.get(writer)!, `written in ${writer.name}`), related(test.node, `tested in ${testedIn[0]}`)],
              data: { kind: "rippedState", variable: s.name, writtenIn: writers.map((w) => w.name), testedIn: testers.map((t) => t.name) },
            },
          ),
        );
      }
      return out;
    },
  };
}
