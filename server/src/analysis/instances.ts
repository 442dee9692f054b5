// Objects the driver creates with `new C(...)`, as denotations (`inst:<n>`, built and read only
// here): one per `new` site and constructor arguments. What a field holds (`this.d`, `this.dev`, `this.hw`) is read from the
// class: a parameter property, a field initializer, or the one assignment in the constructor;
// a field assigned anywhere else is not known. Methods are looked up along the `extends` chain,
// with `this` the concrete object (so an override wins).
import ts from "typescript";
import { baseClassOf, constructorOf, fieldFacts, ownMethod, superCallOf, type ClassNode } from "./classes";
import type { Denotation, Denotations } from "./denotation";
import type { Modules } from "./modules";
import { hasModifier, propertyNameText, type FunctionNode } from "./syntax";

/** A function a call runs, with what `this` means in it (bound on `owner` while it runs). */
export interface CallTarget {
  fn: FunctionNode;
  self?: Denotation;
  owner?: ts.Node;
  /** Arguments fixed by `fn.bind(self, ...bound)`: they come before the call's own. */
  bound?: readonly ts.Expression[];
}

export interface Instance {
  id: number;
  cls: ClassNode;
  /** Denotations of the constructor's arguments. */
  args: ReadonlyArray<Denotation | undefined>;
  /** The concrete object: for the part of an object its base class makes, the derived one. */
  self: number;
  /** The base class's part (lazy: undefined until asked, null when there is none). */
  base: Instance | null | undefined;
  fields: Map<string, Denotation | null>;
  /** Methods looked up so far (calls ask again and again). */
  methods: Map<string, CallTarget | null>;
}

/** An object made with `new`, by its id here. */
export type InstanceDen = `inst:${number}`;

export function instanceDen(id: number): InstanceDen {
  return `inst:${id}`;
}

export function isInstance(den: Denotation | undefined): den is InstanceDen {
  return den !== undefined && den.startsWith("inst:");
}

/** Classes in one `extends` chain at most (a cycle is a user error: stop somewhere). */
const MAX_CHAIN = 8;

export class Instances {
  private readonly list: Instance[] = [];
  private readonly ids = new Map<string, number>();
  private readonly nodeIds = new Map<ts.Node, number>();
  private readonly computing = new Set<string>();
  private readonly trackedCache = new Map<string, boolean>();
  /** Objects (by their concrete id) some code gave the driver's context after construction. */
  private readonly holding = new Set<number>();

  constructor(
    private readonly den: Denotations,
    private readonly modules: Modules,
  ) {}

  /** How many objects were seen: none means no field is ever tracked (a fast path). */
  get count(): number {
    return this.list.length;
  }

  private nodeId(node: ts.Node): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) this.nodeIds.set(node, (id = this.nodeIds.size));
    return id;
  }

  /** The object made at `site` with these arguments (the same one each time: its fields are tracked by id). */
  create(site: ts.Node, cls: ClassNode, args: ReadonlyArray<Denotation | undefined>, self?: number): Instance {
    const key = `${this.nodeId(site)}|${this.nodeId(cls)}|${self ?? ""}|${args.join(",")}`;
    const known = this.ids.get(key);
    if (known !== undefined) return this.list[known]!;
    const id = this.list.length;
    const inst: Instance = { id, cls, args, self: self ?? id, base: undefined, fields: new Map(), methods: new Map() };
    this.list.push(inst);
    this.ids.set(key, id);
    return inst;
  }

  get(den: Denotation | undefined): Instance | undefined {
    return isInstance(den) ? this.list[Number(den.slice(5))] : undefined;
  }

  /** The object and the parts its base classes make, most derived first. */
  chain(inst: Instance): Instance[] {
    const out: Instance[] = [];
    for (let part: Instance | undefined = inst; part !== undefined && out.length < MAX_CHAIN && !out.includes(part); part = this.base(part)) out.push(part);
    return out;
  }

  private base(inst: Instance): Instance | undefined {
    if (inst.base !== undefined) return inst.base ?? undefined;
    inst.base = null;
    const cls = baseClassOf(inst.cls, this.modules);
    if (cls === undefined) return undefined;
    const ctor = constructorOf(inst.cls);
    const self = instanceDen(inst.self);
    let args: ReadonlyArray<Denotation | undefined> = inst.args; // no constructor: the implicit one passes everything on
    let site: ts.Node = inst.cls;
    if (ctor) {
      const sup = superCallOf(ctor);
      site = sup ?? ctor;
      args = sup
        ? this.den.within(parameterBindings(ctor, inst.args), [[ctor, self]], () =>
            sup.arguments.map((a) => (ts.isSpreadElement(a) ? undefined : this.den.of(a))),
          )
        : [];
    }
    inst.base = this.create(site, cls, args, inst.self);
    return inst.base;
  }

  /** What a field of the object holds, when the class says it once and for all. */
  field(den: Denotation, name: string): Denotation | undefined {
    const inst = this.get(den);
    if (inst === undefined) return undefined;
    const known = inst.fields.get(name);
    if (known !== undefined) return known ?? undefined;
    const key = `${inst.id}.${name}`;
    if (this.computing.has(key)) return undefined;
    this.computing.add(key);
    let value: Denotation | undefined;
    try {
      value = this.lookupField(inst, name);
    } finally {
      this.computing.delete(key);
    }
    inst.fields.set(name, value ?? null);
    return value;
  }

  private lookupField(inst: Instance, name: string): Denotation | undefined {
    const self = instanceDen(inst.self);
    for (const part of this.chain(inst)) {
      const facts = fieldFacts(part.cls);
      const writes = facts.writes.get(name) ?? [];
      const index = facts.parameterProperties.get(name);
      if (index !== undefined) return writes.length === 0 ? part.args[index] : undefined;
      const init = facts.initializers.get(name);
      if (init !== undefined) return writes.length === 0 ? this.den.within([], [[part.cls, self]], () => this.den.of(init)) : undefined;
      if (writes.length > 0) {
        const ctor = constructorOf(part.cls);
        const only = writes[0]!;
        const statement = only.parent;
        if (writes.length > 1 || !ctor || !ts.isExpressionStatement(statement) || statement.parent !== ctor.body) return undefined;
        return this.den.within(parameterBindings(ctor, part.args), [[ctor, self]], () => this.den.of(only.right));
      }
      if (part.cls.members.some((m) => ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name)) return undefined;
    }
    return undefined;
  }

  /** `obj.field = d`: the object holds the driver (though the field's denotation cannot be told). */
  noteHoldsDriver(den: Denotation | undefined): void {
    const inst = this.get(den);
    if (inst) this.holding.add(inst.self);
  }

  holdsDriver(inst: Instance): boolean {
    return this.holding.has(inst.self);
  }

  /** The method a call on the object runs (`obj.name(...)`), with `this` bound to the object. */
  method(den: Denotation, name: string): CallTarget | undefined {
    const inst = this.get(den);
    if (inst === undefined) return undefined;
    const known = inst.methods.get(name);
    if (known !== undefined) return known ?? undefined;
    const target = this.lookupMethod(inst, name);
    inst.methods.set(name, target ?? null);
    return target;
  }

  /** The getter `get name() {...}` an instance's `inst.name` runs (its own class first, then the bases). */
  getter(den: Denotation, name: string): { fn: ts.GetAccessorDeclaration; self: Denotation } | undefined {
    const inst = this.get(den);
    if (inst === undefined) return undefined;
    for (const part of this.chain(inst)) {
      for (const member of part.cls.members) {
        if (ts.isGetAccessorDeclaration(member) && member.body && !hasModifier(member, ts.SyntaxKind.StaticKeyword) && propertyNameText(member.name) === name)
          return { fn: member, self: instanceDen(inst.self) };
      }
    }
    return undefined;
  }

  private lookupMethod(inst: Instance, name: string): CallTarget | undefined {
    const parts = this.chain(inst);
    for (const part of parts) {
      const fn = ownMethod(part.cls, name, false);
      if (!fn) continue;
      // A field holding a function that some code reassigns: which function runs cannot be told.
      if (!ts.isMethodDeclaration(fn) && parts.some((p) => fieldFacts(p.cls).writes.has(name) || fieldFacts(p.cls).counters.has(name))) return undefined;
      return { fn, self: instanceDen(inst.self), owner: ts.isArrowFunction(fn) ? part.cls : fn };
    }
    return undefined;
  }

  /** The constructor `new` runs first (the nearest class of the chain that has one). */
  constructorTarget(den: Denotation): CallTarget | undefined {
    const inst = this.get(den);
    if (inst === undefined) return undefined;
    for (const part of this.chain(inst)) {
      const ctor = constructorOf(part.cls);
      if (ctor) return { fn: ctor, self: den, owner: ctor };
    }
    return undefined;
  }

  /**
   * A field the interpreter tracks like a local variable: one the class declares or gives a value,
   * not a counter (counts only multiply states), and either tested in the class or state-like
   * (code outside the class may test it). Data fields stay untracked: their values would only
   * multiply states.
   */
  isTrackedField(den: Denotation, name: string, stateLike: () => boolean): boolean {
    const key = `${den}.${name}`;
    let tracked = this.trackedCache.get(key);
    if (tracked === undefined) {
      const inst = this.get(den);
      const parts = inst ? this.chain(inst).map((p) => fieldFacts(p.cls)) : [];
      const known = parts.some((f) => f.declared.has(name) || f.values.has(name) || f.parameterProperties.has(name));
      tracked = known && !parts.some((f) => f.counters.has(name) || f.accessors.has(name)) && (parts.some((f) => f.tested.has(name)) || stateLike());
      this.trackedCache.set(key, tracked);
    }
    return tracked;
  }

  /** The value expressions a field is given anywhere in the object's classes. */
  fieldValues(den: Denotation, name: string): ts.Expression[] {
    const inst = this.get(den);
    return inst ? this.chain(inst).flatMap((p) => fieldFacts(p.cls).values.get(name) ?? []) : [];
  }
}

/** A constructor's parameters bound to the arguments of one `new`. */
export function parameterBindings(fn: FunctionNode, args: ReadonlyArray<Denotation | undefined>): Array<[ts.Node, Denotation | undefined]> {
  return fn.parameters.map((p, i) => [p, p.dotDotDotToken ? undefined : args[i]]);
}
