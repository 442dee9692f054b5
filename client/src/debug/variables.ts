// The Variables view and evaluate, over a snapshot (no DAP types here beyond plain shapes): the
// scopes Delivery, Mailboxes, Protocol, Device and Trace as plain trees, their one-line previews,
// and path expressions like `state`, `mailboxes.xmit`, `device.IntrStatus`, `IntrStatus`.
import * as path from "node:path";
import type { MailboxSnapshot, TraceEvent } from "active-driver";
import { describeDelivery } from "./stops";
import type { Snapshot } from "./worker/messages";
import { defined } from "../../../runtime/src/defined";

export interface ScopeTree {
  name: string;
  /** Root object of the scope; its properties are the scope's variables. */
  value: Record<string, unknown>;
  expensive: boolean;
  /** Expression prefix for its variables (`mailboxes`, `protocol`, ...). */
  prefix: string;
}

/** What one stop shows the Variables view and evaluate: scopes, custom previews, and the root for evaluate. */
export class StopInspection {
  readonly scopes: ScopeTree[] = [];
  /** What `evaluate` resolves names in. */
  readonly root: Record<string, unknown>;
  private readonly previews = new WeakMap<object, string>();

  constructor(readonly snapshot: Snapshot) {
    const mailboxes: Record<string, unknown> = {};
    for (const mb of snapshot.mailboxes) mailboxes[mb.name] = this.mailboxView(mb);
    const p = snapshot.protocol;
    const protocol: Record<string, unknown> = {
      state: p.state,
      enabled: this.list(p.enabled),
      allowedSends: this.list(p.allowedSends),
      owedReplies: this.list(p.owedReplies.map((o) => this.preview({ ...o }, `${o.reply} owed for ${o.request}${o.count > 1 ? ` (x${o.count})` : ""}`))),
      transitions: this.preview(
        { ...p.transitions },
        Object.entries(p.transitions)
          .map(([m, s]) => `${m} -> ${s}`)
          .join(", ") || "none",
      ),
      violations: this.list(p.violations.map((v) => this.preview({ ...v }, v.detail))),
      protocol: p.name,
    };
    const device: Record<string, unknown> = snapshot.device === undefined ? {} : { ...snapshot.device.registers };
    if (snapshot.device !== undefined) this.preview(device, snapshot.device.name);
    const trace: Record<string, unknown> = {};
    for (const e of snapshot.recent) trace[`#${e.seq}`] = this.preview({ ...e }, describeEvent(e));
    const threads: Record<string, unknown> = {};
    for (const t of snapshot.threads) threads[t.name] = { ...t };

    if (snapshot.delivery !== undefined) {
      const d = snapshot.delivery;
      const delivery = this.preview(
        {
          mailbox: d.mailbox,
          payload: d.payload,
          thread: d.thread,
          seq: d.seq,
          position: d.position,
          time: formatTime(d.time),
          state: d.state,
          ...defined({ at: d.loc && `${path.basename(d.loc.file)}:${d.loc.line}` }),
        },
        describeDelivery(d),
      );
      this.scopes.push({ name: "Delivery", value: delivery, expensive: false, prefix: "delivery" });
    }
    this.scopes.push({ name: "Mailboxes", value: mailboxes, expensive: false, prefix: "mailboxes" });
    this.scopes.push({ name: "Protocol", value: protocol, expensive: false, prefix: "protocol" });
    this.scopes.push({ name: "Device", value: device, expensive: false, prefix: "device" });
    this.scopes.push({ name: "Trace", value: trace, expensive: true, prefix: "trace" });
    this.root = {
      delivery: snapshot.delivery === undefined ? undefined : this.scopes[0]!.value,
      mailboxes,
      protocol,
      state: p.state,
      device,
      trace,
      threads,
      time: formatTime(snapshot.time),
      position: snapshot.position,
      status: snapshot.status,
      ...defined({ failure: snapshot.failure?.message }),
    };
  }

  private preview<T extends object>(value: T, text: string): T {
    this.previews.set(value, text);
    return value;
  }

  private list<T>(items: T[]): T[] {
    return this.preview(
      items,
      items.length === 0 ? "none" : items.map((i) => (typeof i === "object" && i !== null ? (this.previews.get(i) ?? "{...}") : String(i))).join(", "),
    );
  }

  private mailboxView(mb: MailboxSnapshot): Record<string, unknown> {
    const queued = this.list([...mb.queued]);
    const view: Record<string, unknown> = {
      length: mb.length,
      queued,
      direction: mb.direction,
      waiter: mb.waiter ?? "none",
      sent: mb.sent,
      delivered: mb.delivered,
    };
    const parts = [mb.direction === "out" ? (mb.length > 0 ? `${mb.length} repl${mb.length === 1 ? "y" : "ies"} owed` : "out") : `${mb.length} queued`];
    if (mb.waiter !== undefined) parts.push(`${mb.waiter} waits`);
    if (mb.length > 0 && mb.direction !== "out" && mb.queued.length > 0) parts.push(`next ${mb.queued[0]}`);
    parts.push(`sent ${mb.sent}`);
    return this.preview(view, parts.join(", "));
  }

  /** One line for a value: the custom preview, a primitive, or a short structural summary. */
  describe(value: unknown): string {
    if (value === undefined) return "undefined";
    if (value === null) return "null";
    if (typeof value !== "object") return String(value);
    const custom = this.previews.get(value);
    if (custom !== undefined) return custom;
    if (Array.isArray(value)) {
      const inner = value.slice(0, 8).map((v) => (typeof v === "object" && v !== null ? (Array.isArray(v) ? `[${v.length}]` : "{...}") : String(v)));
      return `[${inner.join(", ")}${value.length > 8 ? `, ... ${value.length} items` : ""}]`;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const inner = entries
      .slice(0, 6)
      .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? (Array.isArray(v) ? `[${v.length}]` : "{...}") : String(v)}`);
    return `{${inner.join(", ")}${entries.length > 6 ? ", ..." : ""}}`;
  }

  /**
   * Resolves a path expression: `a.b[2].c` from the root; a first name the root lacks is looked up
   * in the protocol, the mailboxes, the threads and (at any depth) the device's registers.
   */
  evaluate(expression: string): { value: unknown; path: string } | undefined {
    const segments = parsePath(expression.trim());
    if (segments === undefined || segments.length === 0) return undefined;
    // Driver code names them `d.mb.x` / `mb.x` and `d.dev` / `dev`: hovers over driver source work.
    if (segments[0] === "d" && (segments[1] === "mb" || segments[1] === "dev")) segments.shift();
    if (segments[0] === "mb") segments[0] = "mailboxes";
    else if (segments[0] === "dev") segments[0] = "device";
    const [first, ...rest] = segments;
    let start: { value: unknown; path: string } | undefined;
    if (Object.prototype.hasOwnProperty.call(this.root, first!)) start = { value: this.root[first!], path: first! };
    else start = this.lookup(first!);
    if (start === undefined) return undefined;
    let value = start.value;
    let at = start.path;
    for (const seg of rest) {
      if (value === null || typeof value !== "object") return undefined;
      const next = childOf(value as Record<string, unknown>, seg);
      if (next === undefined) return undefined;
      value = next.value;
      at = `${at}${/^\d+$/.test(next.key) ? `[${next.key}]` : `.${next.key}`}`;
    }
    return { value, path: at };
  }

  private lookup(name: string): { value: unknown; path: string } | undefined {
    for (const key of ["protocol", "mailboxes", "threads"] as const) {
      const found = childOf(this.root[key] as Record<string, unknown>, name);
      if (found !== undefined) return { value: found.value, path: `${key}.${found.key}` };
    }
    const inDevice = findDeep(this.root.device, name, "device", 0);
    return inDevice;
  }
}

/** A property by exact name, else case-insensitively. */
function childOf(obj: Record<string, unknown>, key: string): { key: string; value: unknown } | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return { key, value: obj[key] };
  const lower = key.toLowerCase();
  const match = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return match === undefined ? undefined : { key: match, value: obj[match] };
}

function findDeep(value: unknown, name: string, at: string, depth: number): { value: unknown; path: string } | undefined {
  if (value === null || typeof value !== "object" || depth > 4) return undefined;
  const direct = childOf(value as Record<string, unknown>, name);
  if (direct !== undefined) return { value: direct.value, path: `${at}.${direct.key}` };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const found = findDeep(v, name, /^\d+$/.test(k) ? `${at}[${k}]` : `${at}.${k}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `a.b[2]["c d"]` -> ["a", "b", "2", "c d"]; undefined when it is not a plain path. */
export function parsePath(text: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:\.?\s*([A-Za-z_$#][\w$#-]*)|\[\s*(\d+)\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\])/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) return undefined;
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    i = re.lastIndex;
  }
  return out;
}

export function formatTime(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

/** One line for a trace event: `1.234 ms send xmit os -> thread:main {frame: ...}`. */
export function describeEvent(e: TraceEvent): string {
  const route = e.to !== undefined ? `${e.from} -> ${e.to}` : e.from;
  const parts = [formatTime(e.time), e.kind, e.mailbox ?? "", route, e.payload ?? "", e.fault !== undefined ? `[${e.fault}]` : "", e.detail ?? ""];
  return parts.filter((p) => p !== "").join(" ");
}
