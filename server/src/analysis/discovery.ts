// Finds the drivers of a file (`defineDriver` / `definePassiveDriver` calls), their main or setup
// function, and the protocol named by `protocol:` (in the same file or through relative imports).
import ts from "typescript";
import { fileIndex } from "./fileIndex";
import type { Modules, Target } from "./modules";
import { isDefineProtocolCall, readProtocol, type Protocol } from "./protocol";
import { calleeName, isFunctionNode, memberAccess, propertyNameText, unwrap, type FunctionNode } from "./syntax";

export interface DriverCall {
  kind: "active" | "passive";
  call: ts.CallExpression;
  /** The `protocol:` value. */
  protocolExpr?: ts.Expression;
  /** The second argument: main (active) or setup (passive). */
  fnExpr?: ts.Expression;
}

export function findDrivers(sf: ts.SourceFile): DriverCall[] {
  return fileIndex(sf).driverCalls.map((call) => {
    const config = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    let protocolExpr: ts.Expression | undefined;
    if (config && ts.isObjectLiteralExpression(config)) {
      for (const p of config.properties) {
        if (propertyNameText(p.name) !== "protocol") continue;
        if (ts.isPropertyAssignment(p)) protocolExpr = p.initializer;
        else if (ts.isShorthandPropertyAssignment(p)) protocolExpr = p.name;
      }
    }
    return {
      kind: calleeName(call) === "defineDriver" ? "active" : "passive",
      call,
      ...(protocolExpr ? { protocolExpr } : {}),
      ...(call.arguments[1] ? { fnExpr: call.arguments[1] } : {}),
    };
  });
}

export function findProtocolCalls(sf: ts.SourceFile): ts.CallExpression[] {
  return fileIndex(sf).protocolCalls;
}

/** The protocol an expression names, following consts, imports and re-exports. */
export function resolveProtocol(expr: ts.Expression, modules: Modules, depth = 0): Protocol | undefined {
  if (depth > 16) return undefined;
  const e = unwrap(expr);
  if (isDefineProtocolCall(e)) return readProtocol(e);
  if (ts.isIdentifier(e)) return protocolOfTarget(modules.resolve(e), modules, depth);
  const access = memberAccess(e);
  if (access && ts.isIdentifier(unwrap(access.object))) {
    const ns = modules.resolve(unwrap(access.object) as ts.Identifier);
    return protocolOfTarget(modules.member(ns, access.name), modules, depth);
  }
  return undefined;
}

function protocolOfTarget(target: Target | undefined, modules: Modules, depth: number): Protocol | undefined {
  if (target === undefined || ts.isSourceFile(target)) return undefined;
  if (ts.isExportAssignment(target)) return resolveProtocol(target.expression, modules, depth + 1);
  if (ts.isVariableDeclaration(target) && target.initializer) return resolveProtocol(target.initializer, modules, depth + 1);
  return undefined;
}

/** The driver's main/setup function, when it is written inline or names a function. */
export function driverFunction(expr: ts.Expression | undefined, functionOf: (e: ts.Expression) => FunctionNode | undefined): FunctionNode | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (isFunctionNode(e)) return e.body ? e : undefined;
  return functionOf(e);
}
