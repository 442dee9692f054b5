// What an expression denotes in driver code, independent of the run-time path: the driver context
// `d` (or a passive driver's `k`), `d.mb`, `d.dev`, one of `d`'s functions, a mailbox, an object
// literal or an object made with `new` (whose fields may hold any of these). Aliases and
// destructuring are followed through declarations; parameters of inlined helpers, and `this` of
// inlined methods, are bound by the interpreter (`bindParameter`, `bindThis`). Denotations are
// short strings (cheap to compare and cache); only this module builds or reads them, except the
// `inst:` ones, which instances.ts owns.
import ts from "typescript";
import { Callees } from "./callees";
import { classOf, thisOwner } from "./classes";
import { Instances, instanceDen, isInstance, type CallTarget, type InstanceDen } from "./instances";
import { DEVICE_IRQ, internalMailbox, mailboxKind, protocolMailbox, UNKNOWN_MAILBOX, type MailboxKey } from "./mailboxKeys";
import type { Modules, Target } from "./modules";
import type { Protocol } from "./protocol";
import type { Declaration } from "./scope";
import { isFunctionNode, memberAccess, propertyNameText, unwrap, unwrapAwait, type FunctionNode } from "./syntax";
import type { MailboxKind } from "./types";

/** The functions of `d` (`d.wait` ...) and of `d.dev` (`read8`, `read16` and `read32` are all `read`). */
export type DriverFunctionName = "wait" | "send" | "sleep" | "spawn" | "mailbox" | "log" | "read" | "write" | "dma";
/** The functions of a passive driver's `k`. */
export type KernelFunctionName = "schedule" | "lock" | "unlock" | "sleep" | "send" | "log";
export type DriverFunction = `fn:${DriverFunctionName}`;
export type KernelFunction = `kfn:${KernelFunctionName}`;
export type MailboxDen = `mbx:${MailboxKey}`;
/** An object literal, by its index in `Denotations`. */
export type ObjectLiteralDen = `obj:${number}`;

/**
 * `ctx` (d), `kctx` (k), `mb` (d.mb), `dev` (d.dev), `fn:<op>` (d.wait, d.dev.read8 ...),
 * `kfn:<op>` (k.schedule ...), `mbx:<key>` (a mailbox, keys in mailboxKeys.ts), `obj:<n>` (an
 * object literal whose properties may denote any of these, e.g. a record of mailboxes, or hold
 * functions: a handler table), `inst:<n>` (an object made with `new`, see instances.ts).
 */
export type Denotation =
  | typeof DRIVER_CONTEXT
  | typeof KERNEL_CONTEXT
  | typeof MAILBOXES
  | typeof DEVICE
  | DriverFunction
  | KernelFunction
  | MailboxDen
  | ObjectLiteralDen
  | InstanceDen;

/** `d`, an active driver's context. */
export const DRIVER_CONTEXT = "ctx";
/** `k`, a passive driver's kernel. */
export const KERNEL_CONTEXT = "kctx";
/** `d.mb`, the protocol's mailboxes. */
export const MAILBOXES = "mb";
/** `d.dev`, the device. */
export const DEVICE = "dev";

/** The Driver API's functions, `d.wait`, `d.dev.read8` ... by name. */
export const driverApi: { readonly [N in DriverFunctionName]: `fn:${N}` } = {
  wait: "fn:wait",
  send: "fn:send",
  sleep: "fn:sleep",
  spawn: "fn:spawn",
  mailbox: "fn:mailbox",
  log: "fn:log",
  read: "fn:read",
  write: "fn:write",
  dma: "fn:dma",
};

/** A passive driver's kernel functions, `k.schedule` ... by name. */
export const kernelApi: { readonly [N in KernelFunctionName]: `kfn:${N}` } = {
  schedule: "kfn:schedule",
  lock: "kfn:lock",
  unlock: "kfn:unlock",
  sleep: "kfn:sleep",
  send: "kfn:send",
  log: "kfn:log",
};

/** `d.<name>` and `k.<name>` functions, with their denotations (built once: member lookups run per evaluation). */
const contextFunctions = new Map<string, Denotation>((["wait", "send", "sleep", "spawn", "mailbox", "log"] as const).map((n) => [n, driverApi[n]]));
const kernelFunctions = new Map<string, Denotation>((["schedule", "lock", "unlock", "sleep", "send", "log"] as const).map((n) => [n, kernelApi[n]]));
const deviceFunctions = new Map<string, Denotation>([
  ["read8", driverApi.read],
  ["read16", driverApi.read],
  ["read32", driverApi.read],
  ["write8", driverApi.write],
  ["write16", driverApi.write],
  ["write32", driverApi.write],
  ["dma", driverApi.dma],
]);

const SK = ts.SyntaxKind;

/** A mailbox as a denotation. */
export function mailboxDen(key: MailboxKey): MailboxDen {
  return `mbx:${key}`;
}

const UNKNOWN_MAILBOX_DEN = mailboxDen(UNKNOWN_MAILBOX);
const DEVICE_IRQ_DEN = mailboxDen(DEVICE_IRQ);

/** Mailbox key of a denotation (`p:open`, `d:irq`, `i:work`, `?`), if it is a mailbox. */
export function mailboxKey(den: Denotation | undefined): MailboxKey | undefined {
  return den !== undefined && den.startsWith("mbx:") ? (den.slice(4) as MailboxKey) : undefined;
}

export function isMailbox(den: Denotation | undefined): den is MailboxDen {
  return den !== undefined && den.startsWith("mbx:");
}

export function objectLiteralDen(id: number): ObjectLiteralDen {
  return `obj:${id}`;
}

export function isObjectLiteral(den: Denotation | undefined): den is ObjectLiteralDen {
  return den !== undefined && den.startsWith("obj:");
}

/** The index of an object literal denotation; undefined for any other denotation. */
export function objectLiteralIdOf(den: Denotation | undefined): number | undefined {
  return isObjectLiteral(den) ? Number(den.slice(4)) : undefined;
}

/** True for denotations through which code can wait or send on the protocol. */
export function isDriverCapability(den: Denotation | undefined): boolean {
  return den === DRIVER_CONTEXT || den === MAILBOXES || den === driverApi.wait || den === driverApi.send || den === driverApi.spawn || den === KERNEL_CONTEXT;
}

function isForOfVariable(decl: Declaration): boolean {
  return ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent);
}

export class Denotations {
  private readonly params = new Map<ts.Node, Denotation>();
  /** Parameters bound to a function by the call being inlined (a callback a helper calls). */
  private readonly functionParams = new Map<ts.Node, FunctionNode>();
  private readonly cache = new Map<ts.Node, Denotation | null>();
  private readonly visiting = new Set<ts.Node>();
  /** Denotations of expressions that read no parameter binding. */
  private readonly stableCache = new Map<ts.Node, Denotation | null>();
  /** Denotations that read parameter bindings: valid until a binding changes (then cleared). */
  private paramCache = new Map<ts.Node, Denotation | null>();
  private readonly objects: ts.ObjectLiteralExpression[] = [];
  private readonly objectIds = new Map<ts.ObjectLiteralExpression, number>();
  private usedParam = false;
  private readonly protocolMailboxes = new Map<string, Denotation>();
  /** `this` of the methods being run, by the node that owns it (see classes.ts `thisOwner`). */
  private readonly selves = new Map<ts.Node, Denotation>();
  private readonly owners = new Map<ts.Node, ts.Node | null>();
  readonly instances: Instances;
  private readonly callees: Callees;

  constructor(
    readonly modules: Modules,
    readonly protocol: Protocol | undefined,
  ) {
    this.instances = new Instances(this, modules);
    this.callees = new Callees(this, modules);
  }

  mailboxKind(key: MailboxKey): MailboxKind {
    return mailboxKind(key, this.protocol);
  }

  /** Binds a parameter (of the main function or an inlined helper); returns the previous binding. */
  bindParameter(param: ts.Node, den: Denotation | undefined): Denotation | undefined {
    const previous = this.params.get(param);
    if (previous === den) return previous;
    this.bindingsChanged();
    if (den === undefined) this.params.delete(param);
    else this.params.set(param, den);
    return previous;
  }

  /**
   * The bindings a function made here closes over: parameters and `for...of` variables bound now
   * (an inlined helper's, an unrolled loop's) whose scope holds `fn`. A thread spawned with `fn`
   * runs after they are gone, so it takes them along.
   */
  captured(fn: ts.Node): Array<[ts.Node, Denotation]> {
    const out: Array<[ts.Node, Denotation]> = [];
    const sf = fn.getSourceFile();
    for (const [node, den] of this.params) {
      const scope = ts.isParameter(node) ? node.parent : node.parent.parent;
      if (scope.getSourceFile() === sf && scope.pos <= fn.pos && fn.end <= scope.end && scope !== fn) out.push([node, den]);
    }
    return out;
  }

  /** Binds a parameter to the function an inlined call passes for it; returns the previous binding. */
  bindFunctionParameter(param: ts.Node, fn: FunctionNode | undefined): FunctionNode | undefined {
    const previous = this.functionParams.get(param);
    if (fn === undefined) this.functionParams.delete(param);
    else this.functionParams.set(param, fn);
    return previous;
  }

  restoreFunctionParameter(param: ts.Node, previous: FunctionNode | undefined): void {
    if (previous === undefined) this.functionParams.delete(param);
    else this.functionParams.set(param, previous);
  }

  /** Rebinds after an inlined call; a parameter keeps its last binding for later queries (hover, rules). */
  restoreParameter(param: ts.Node, previous: Denotation | undefined): void {
    if (previous === undefined || this.params.get(param) === previous) return;
    this.bindingsChanged();
    this.params.set(param, previous);
  }

  private bindingsChanged(): void {
    if (this.paramCache.size > 0) this.paramCache = new Map();
  }

  /** Binds `this` of a method (by its owner node) while it runs; returns the previous binding. */
  bindThis(owner: ts.Node, den: Denotation | undefined): Denotation | undefined {
    const previous = this.selves.get(owner);
    if (previous === den) return previous;
    this.bindingsChanged();
    if (den === undefined) this.selves.delete(owner);
    else this.selves.set(owner, den);
    return previous;
  }

  /** Like `restoreParameter`: the last binding stays for later queries. */
  restoreThis(owner: ts.Node, previous: Denotation | undefined): void {
    if (previous === undefined || this.selves.get(owner) === previous) return;
    this.bindingsChanged();
    this.selves.set(owner, previous);
  }

  /**
   * Runs `run` with parameters and `this` owners bound as given, then restores every binding
   * exactly (a field's value, a base class's arguments: computed once, in the object's terms).
   */
  within<T>(params: ReadonlyArray<[ts.Node, Denotation | undefined]>, selves: ReadonlyArray<[ts.Node, Denotation | undefined]>, run: () => T): T {
    const usedParam = this.usedParam;
    const set = (map: Map<ts.Node, Denotation>, node: ts.Node, den: Denotation | undefined): void => {
      if (den === undefined) map.delete(node);
      else map.set(node, den);
    };
    const oldParams = params.map(([p]) => this.params.get(p));
    const oldSelves = selves.map(([o]) => this.selves.get(o));
    // Bound as asked already (a method asking about a sibling with the same object): no cache to drop.
    const same = params.every(([, den], i) => oldParams[i] === den) && selves.every(([, den], i) => oldSelves[i] === den);
    if (!same) {
      for (const [p, den] of params) set(this.params, p, den);
      for (const [o, den] of selves) set(this.selves, o, den);
      this.bindingsChanged();
    }
    try {
      return run();
    } finally {
      if (!same) {
        params.forEach(([p], i) => set(this.params, p, oldParams[i]));
        selves.forEach(([o], i) => set(this.selves, o, oldSelves[i]));
        this.bindingsChanged();
      }
      this.usedParam = usedParam;
    }
  }

  /** What a `this` (or `super`) means where it is written: its owner's binding. */
  thisOf(node: ts.Node): Denotation | undefined {
    let owner = this.owners.get(node);
    if (owner === undefined) this.owners.set(node, (owner = thisOwner(node) ?? null));
    this.usedParam = true;
    return owner === null ? undefined : this.selves.get(owner);
  }

  member(base: Denotation | undefined, name: string): Denotation | undefined {
    const objectId = objectLiteralIdOf(base);
    if (objectId !== undefined) return this.objectMember(objectId, name);
    if (isInstance(base)) return this.instances.field(base, name);
    switch (base) {
      case DRIVER_CONTEXT:
        if (name === "mb") return MAILBOXES;
        if (name === "dev") return DEVICE;
        return contextFunctions.get(name);
      case KERNEL_CONTEXT:
        if (name === "dev") return DEVICE;
        return kernelFunctions.get(name);
      case MAILBOXES:
        if (this.protocol !== undefined && this.protocol.complete && !this.protocol.messages.has(name)) return UNKNOWN_MAILBOX_DEN;
        return this.protocolMailbox(name);
      case DEVICE:
        if (name === "irq") return DEVICE_IRQ_DEN;
        return deviceFunctions.get(name);
      default:
        return undefined;
    }
  }

  private protocolMailbox(name: string): Denotation {
    let den = this.protocolMailboxes.get(name);
    if (den === undefined) this.protocolMailboxes.set(name, (den = mailboxDen(protocolMailbox(name))));
    return den;
  }

  private objectMember(id: number, name: string): Denotation | undefined {
    const obj = this.objects[id];
    const prop = obj?.properties.find((p) => propertyNameText(p.name) === name);
    if (prop === undefined) return undefined;
    if (ts.isPropertyAssignment(prop)) return this.of(prop.initializer);
    if (ts.isShorthandPropertyAssignment(prop)) return this.of(prop.name);
    return undefined;
  }

  /** An object literal as a denotation, when some property denotes something (a record of mailboxes) or is a function (a handler table). */
  private objectOf(obj: ts.ObjectLiteralExpression): Denotation | undefined {
    let id = this.objectIds.get(obj);
    if (id === undefined) {
      const meaningful = obj.properties.some((p) => {
        if (ts.isMethodDeclaration(p)) return true;
        if (ts.isPropertyAssignment(p)) return isFunctionNode(unwrap(p.initializer)) || this.of(p.initializer) !== undefined;
        return ts.isShorthandPropertyAssignment(p) && this.of(p.name) !== undefined;
      });
      if (!meaningful) return undefined;
      id = this.objects.length;
      this.objects.push(obj);
      this.objectIds.set(obj, id);
    }
    return objectLiteralDen(id);
  }

  /** The denotation of an expression, or undefined when it is not part of the driver's vocabulary. */
  of(expr: ts.Expression): Denotation | undefined {
    // Names and member chains (most queries) are cheaper to compute than to cache: an identifier's
    // target is cached by Modules, its declaration's denotation here (or read from a parameter).
    const e = unwrap(expr);
    if (e.kind === SK.Identifier) {
      const target = this.modules.resolve(e as ts.Identifier);
      return target === undefined ? undefined : this.ofTarget(target);
    }
    if (e.kind === SK.PropertyAccessExpression) {
      const pa = e as ts.PropertyAccessExpression;
      return this.member(this.of(pa.expression), pa.name.text);
    }
    if (e.kind === SK.ThisKeyword) return this.thisOf(e);
    return this.cached(e);
  }

  private cached(expr: ts.Expression): Denotation | undefined {
    const stable = this.stableCache.get(expr);
    if (stable !== undefined) return stable ?? undefined;
    const hit = this.paramCache.get(expr);
    if (hit !== undefined) {
      this.usedParam = true;
      return hit ?? undefined;
    }
    const outer = this.usedParam;
    this.usedParam = false;
    const den = this.compute(expr);
    (this.usedParam ? this.paramCache : this.stableCache).set(expr, den ?? null);
    this.usedParam ||= outer;
    return den;
  }

  private compute(expr: ts.Expression): Denotation | undefined {
    const e = unwrap(expr);
    switch (e.kind) {
      case SK.Identifier: {
        const target = this.modules.resolve(e as ts.Identifier);
        return target === undefined ? undefined : this.ofTarget(target);
      }
      case SK.PropertyAccessExpression: {
        const pa = e as ts.PropertyAccessExpression;
        return this.member(this.of(pa.expression), pa.name.text);
      }
      case SK.ObjectLiteralExpression:
        return this.objectOf(e as ts.ObjectLiteralExpression);
      case SK.NewExpression: {
        const n = e as ts.NewExpression;
        const cls = classOf(n.expression, this.modules);
        if (cls === undefined) return undefined;
        const args = (n.arguments ?? []).map((a) => (ts.isSpreadElement(a) ? undefined : this.of(a)));
        return instanceDen(this.instances.create(n, cls, args).id);
      }
      case SK.CallExpression: {
        const call = e as ts.CallExpression;
        const callee = this.of(call.expression);
        if (callee === undefined) return this.callees.madeBy(call);
        if (callee !== driverApi.mailbox) return undefined;
        const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
        return arg && ts.isStringLiteralLike(arg) ? mailboxDen(internalMailbox(arg.text)) : UNKNOWN_MAILBOX_DEN;
      }
      default: {
        const access = memberAccess(e);
        return access ? this.member(this.of(access.object), access.name) : undefined;
      }
    }
  }

  ofTarget(target: Target): Denotation | undefined {
    if (ts.isSourceFile(target) || ts.isExportAssignment(target)) return undefined;
    return this.ofDeclaration(target);
  }

  ofDeclaration(decl: Declaration): Denotation | undefined {
    // A `for...of` variable is bound per element by the interpreter, like a parameter.
    if (ts.isParameter(decl) || isForOfVariable(decl)) {
      this.usedParam = true;
      return this.params.get(decl);
    }
    const cached = this.cache.get(decl);
    if (cached !== undefined) return cached ?? undefined;
    if (this.visiting.has(decl)) return undefined;
    this.visiting.add(decl);
    const outer = this.usedParam;
    this.usedParam = false;
    let den: Denotation | undefined;
    try {
      den = this.computeDeclaration(decl);
    } finally {
      this.visiting.delete(decl);
    }
    if (!this.usedParam) this.cache.set(decl, den ?? null);
    this.usedParam ||= outer;
    return den;
  }

  private computeDeclaration(decl: Declaration): Denotation | undefined {
    if (ts.isVariableDeclaration(decl)) {
      // A wait result is a value, not a denotation; only aliases of the driver's vocabulary count.
      return decl.initializer && ts.isIdentifier(decl.name) ? this.of(decl.initializer) : undefined;
    }
    if (ts.isBindingElement(decl)) {
      if (decl.dotDotDotToken) return undefined;
      const pattern = decl.parent;
      if (!ts.isObjectBindingPattern(pattern)) return undefined;
      const name = propertyNameText(decl.propertyName ?? decl.name);
      if (name === undefined) return undefined;
      return this.member(this.ofPattern(pattern), name);
    }
    return undefined;
  }

  /** What the object destructured by a pattern denotes. */
  private ofPattern(pattern: ts.ObjectBindingPattern): Denotation | undefined {
    const owner = pattern.parent;
    if (ts.isVariableDeclaration(owner)) return owner.initializer ? this.of(owner.initializer) : undefined;
    if (ts.isParameter(owner)) {
      this.usedParam = true;
      return this.params.get(owner);
    }
    if (ts.isBindingElement(owner) && ts.isObjectBindingPattern(owner.parent)) {
      const name = propertyNameText(owner.propertyName ?? owner.name);
      return name === undefined ? undefined : this.member(this.ofPattern(owner.parent), name);
    }
    return undefined;
  }

  /** The function a callee expression names, when its body can be analysed (a method too, without its `this`). */
  functionOf(expr: ts.Expression): FunctionNode | undefined {
    return this.callTarget(expr)?.fn;
  }

  /** What a call runs (see callees.ts). */
  callTarget(expr: ts.Expression): CallTarget | undefined {
    return this.callees.callTarget(expr);
  }

  /** What `f` runs when the callee is `f.call` or `f.apply`. */
  calledThrough(expr: ts.Expression): CallTarget | undefined {
    return this.callees.calledThrough(expr);
  }

  /** `obj.name` or `inst.name` as a function to run. */
  memberFunction(base: Denotation, name: string): CallTarget | undefined {
    return this.callees.memberFunction(base, name);
  }

  /** True when a table has a member named so (`undefined`: it cannot be told). */
  hasMember(base: Denotation, name: string): boolean | undefined {
    return this.callees.hasMember(base, name);
  }

  /** The object literal an `obj:` denotation stands for. */
  objectLiteral(den: Denotation): ts.ObjectLiteralExpression | undefined {
    const id = objectLiteralIdOf(den);
    return id === undefined ? undefined : this.objects[id];
  }

  /** The function an inlined call binds to a parameter (a callback). */
  functionParameter(param: ts.ParameterDeclaration): FunctionNode | undefined {
    return this.functionParams.get(param);
  }

  /** For `const r = await d.wait(...)`: the wait call that initialises a declaration. */
  waitCallOf(decl: Declaration): ts.CallExpression | undefined {
    let node: ts.Node = decl;
    while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node)) node = node.parent;
    if (!ts.isVariableDeclaration(node) || !node.initializer) return undefined;
    const init = unwrapAwait(node.initializer);
    return ts.isCallExpression(init) && this.of(init.expression) === driverApi.wait ? init : undefined;
  }
}
