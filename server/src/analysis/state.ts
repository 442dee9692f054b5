// The abstract state the interpreter carries along each path: the protocol state, the replies owed,
// the values of tracked local variables, and whether the path went through a branch the analysis
// could not decide on a tracked variable (a "vague" path: its findings are not reported).
import type { Value } from "./values";

/** Protocol state or owed set that cannot be told. */
export const UNKNOWN = "?";

export class State {
  private cachedKey: string | undefined;

  constructor(
    /** Protocol state name, or UNKNOWN. */
    readonly ps: string,
    /** Owed replies, sorted and comma-joined ("" none), or UNKNOWN. */
    readonly owed: string,
    /** Tracked variable id -> value (absent: unknown). Never mutated after construction. */
    readonly env: ReadonlyMap<number, Value>,
    readonly vague: boolean,
    /** Value returned by an inlined helper on this path. */
    readonly ret: Value | undefined = undefined,
  ) {}

  get key(): string {
    if (this.cachedKey === undefined) {
      let k = `${this.ps}|${this.owed}|${this.vague ? "v" : ""}|${this.ret ?? ""}`;
      if (this.env.size > 0) {
        // Variables usually come in ascending id order already (see `set`): sort only when not.
        let previous = -1;
        let ascending = true;
        for (const id of this.env.keys()) {
          if (id < previous) {
            ascending = false;
            break;
          }
          previous = id;
        }
        if (ascending) for (const [id, value] of this.env) k += `|${id}=${value}`;
        else for (const id of [...this.env.keys()].sort((a, b) => a - b)) k += `|${id}=${this.env.get(id)}`;
      }
      this.cachedKey = k;
    }
    return this.cachedKey;
  }

  withPs(ps: string): State {
    return ps === this.ps ? this : new State(ps, this.owed, this.env, this.vague, this.ret);
  }

  withOwed(owed: string): State {
    return owed === this.owed ? this : new State(this.ps, owed, this.env, this.vague, this.ret);
  }

  withVague(): State {
    return this.vague ? this : new State(this.ps, this.owed, this.env, true, this.ret);
  }

  withRet(ret: Value | undefined): State {
    return ret === this.ret ? this : new State(this.ps, this.owed, this.env, this.vague, ret);
  }

  get(id: number): Value | undefined {
    return this.env.get(id);
  }

  set(id: number, value: Value | undefined): State {
    if (this.env.get(id) === value) return this;
    const env = new Map(this.env);
    if (value === undefined) env.delete(id);
    else env.set(id, value);
    return new State(this.ps, this.owed, env, this.vague, this.ret);
  }

  /** Forgets the given variables (leaving their scope). */
  drop(ids: readonly number[]): State {
    if (this.env.size === 0 || ids.length === 0) return this;
    let env: Map<number, Value> | undefined;
    for (const id of ids) {
      if (!this.env.has(id)) continue;
      env ??= new Map(this.env);
      env.delete(id);
    }
    return env ? new State(this.ps, this.owed, env, this.vague, this.ret) : this;
  }

  withEnv(env: ReadonlyMap<number, Value>): State {
    return new State(this.ps, this.owed, env, this.vague, this.ret);
  }

  owedList(): string[] {
    return this.owed === "" || this.owed === UNKNOWN ? [] : this.owed.split(",");
  }
}

export function owedWith(owed: string, reply: string): string {
  if (owed === UNKNOWN) return owed;
  const list = owed === "" ? [] : owed.split(",");
  if (list.includes(reply)) return owed;
  list.push(reply);
  return list.sort().join(",");
}

export function owedWithout(owed: string, reply: string): string {
  if (owed === UNKNOWN || owed === "") return owed;
  return owed
    .split(",")
    .filter((r) => r !== reply)
    .join(",");
}

/** A set of states, deduplicated by key, in insertion order. */
export class StateSet {
  /** Created on the first add: most completions never hold a state of some kind. */
  private map: Map<string, State> | undefined;

  static of(states: Iterable<State>): StateSet {
    const set = new StateSet();
    for (const s of states) set.add(s);
    return set;
  }

  add(state: State): boolean {
    const k = state.key;
    const map = (this.map ??= new Map());
    if (map.has(k)) return false;
    map.set(k, state);
    return true;
  }

  addAll(other: StateSet | Iterable<State> | undefined): void {
    if (other === undefined) return;
    for (const s of other instanceof StateSet ? other.values() : other) this.add(s);
  }

  has(state: State): boolean {
    return this.map !== undefined && this.map.has(state.key);
  }

  get size(): number {
    return this.map === undefined ? 0 : this.map.size;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  values(): IterableIterator<State> {
    return (this.map ?? noStates).values();
  }

  toArray(): State[] {
    return this.map === undefined ? [] : [...this.map.values()];
  }

  mapStates(f: (s: State) => State): StateSet {
    const out = new StateSet();
    if (this.map !== undefined) for (const s of this.map.values()) out.add(f(s));
    return out;
  }
}

const noStates: ReadonlyMap<string, State> = new Map();

/** How a statement can complete: normally, by break/continue (per label, "" for none) or return. */
export class Completion {
  readonly normal = new StateSet();
  breaks: Map<string, StateSet> | undefined;
  continues: Map<string, StateSet> | undefined;
  returns: StateSet | undefined;

  addBreak(label: string, states: Iterable<State> | StateSet): void {
    this.breaks ??= new Map();
    let set = this.breaks.get(label);
    if (!set) this.breaks.set(label, (set = new StateSet()));
    set.addAll(states);
  }

  addContinue(label: string, states: Iterable<State> | StateSet): void {
    this.continues ??= new Map();
    let set = this.continues.get(label);
    if (!set) this.continues.set(label, (set = new StateSet()));
    set.addAll(states);
  }

  addReturn(states: Iterable<State> | StateSet): void {
    this.returns ??= new StateSet();
    this.returns.addAll(states);
  }

  /** Adds the abrupt completions of `other` (not its normal states). */
  mergeJumps(other: Completion): void {
    if (other.breaks) for (const [l, s] of other.breaks) this.addBreak(l, s);
    if (other.continues) for (const [l, s] of other.continues) this.addContinue(l, s);
    if (other.returns) this.addReturn(other.returns);
  }

  /** Applies `f` to every state of every completion. */
  mapAll(f: (s: State) => State): Completion {
    const out = new Completion();
    for (const s of this.normal.values()) out.normal.add(f(s));
    if (this.breaks) for (const [l, set] of this.breaks) out.addBreak(l, [...set.values()].map(f));
    if (this.continues) for (const [l, set] of this.continues) out.addContinue(l, [...set.values()].map(f));
    if (this.returns) out.addReturn([...this.returns.values()].map(f));
    return out;
  }
}
