// Deterministic layout of a protocol state machine: states in BFS order from the initial state
// (then unreachable and undeclared ones) placed clockwise on a circle from the top; one edge per
// (from, to) pair carrying all its messages; self-loops point away from the centre. Pure.
import type { MessageDirection, ProtocolMessage } from "../../shared/messages";

export interface NodeLayout {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  initial: boolean;
  reachable: boolean;
  /** A transition names it but the protocol's `states` does not. */
  declared: boolean;
}

export interface EdgeLabel {
  message: string;
  direction: MessageDirection | undefined;
}

export interface EdgeLayout {
  from: string;
  to: string;
  labels: EdgeLabel[];
  /** SVG path data. */
  path: string;
  labelX: number;
  labelY: number;
  anchor: "start" | "middle" | "end";
}

export interface MachineLayout {
  nodes: NodeLayout[];
  edges: EdgeLayout[];
  /** The drawing's bounds (an SVG viewBox). */
  x: number;
  y: number;
  width: number;
  height: number;
}

const NODE_HEIGHT = 30;
const MARGIN = 150;
const LINE = 14;
const LOOP_REACH = 45;

export function nodeWidth(id: string): number {
  return Math.max(60, 20 + 7.5 * id.length);
}

/** Transitions as [from, message, to] in declaration order, reading only own properties. */
export function transitions(states: ProtocolMessage["states"]): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [from, row] of Object.entries(states)) {
    if (typeof row !== "object" || row === null) continue;
    for (const [message, to] of Object.entries(row)) if (typeof to === "string") out.push([from, message, to]);
  }
  return out;
}

/** States in layout order: BFS from the initial state, then the unreachable ones as declared. */
export function stateOrder(protocol: Pick<ProtocolMessage, "states" | "initial">): { order: string[]; reachable: Set<string> } {
  const edges = transitions(protocol.states);
  const next = new Map<string, string[]>();
  for (const [from, , to] of edges) {
    let list = next.get(from);
    if (!list) next.set(from, (list = []));
    list.push(to);
  }
  const order: string[] = [protocol.initial];
  const reachable = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const to of next.get(order[i]!) ?? []) {
      if (!reachable.has(to)) {
        reachable.add(to);
        order.push(to);
      }
    }
  }
  const rest = [...Object.keys(protocol.states), ...edges.map(([, , to]) => to)];
  for (const s of rest) if (!order.includes(s)) order.push(s);
  return { order, reachable };
}

export function layoutMachine(protocol: Pick<ProtocolMessage, "states" | "initial" | "directions">): MachineLayout {
  const { order, reachable } = stateOrder(protocol);
  const declared = new Set(Object.keys(protocol.states));
  const n = order.length;
  const widest = Math.max(...order.map(nodeWidth));
  const radius = n === 1 ? 0 : Math.max(110, (n * (widest + 40)) / (2 * Math.PI));
  const centre = MARGIN + radius + widest / 2;
  const angleOf = new Map<string, number>();
  const nodes: NodeLayout[] = order.map((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    angleOf.set(id, angle);
    return {
      id,
      x: round(centre + radius * Math.cos(angle)),
      y: round(centre + radius * Math.sin(angle)),
      width: nodeWidth(id),
      height: NODE_HEIGHT,
      initial: id === protocol.initial,
      reachable: reachable.has(id),
      declared: declared.has(id),
    };
  });
  const byId = new Map(nodes.map((node) => [node.id, node]));

  const grouped = new Map<string, EdgeLayout>();
  for (const [from, message, to] of transitions(protocol.states)) {
    const key = JSON.stringify([from, to]);
    let edge = grouped.get(key);
    if (!edge) {
      edge = { from, to, labels: [], path: "", labelX: 0, labelY: 0, anchor: "middle" };
      grouped.set(key, edge);
    }
    const direction = protocol.directions && Object.prototype.hasOwnProperty.call(protocol.directions, message) ? protocol.directions[message] : undefined;
    edge.labels.push({ message, direction });
  }
  const edges = [...grouped.values()];
  for (const edge of edges) {
    const a = byId.get(edge.from)!;
    const b = byId.get(edge.to)!;
    if (a === b) selfLoop(edge, a, n === 1 ? -Math.PI / 2 : angleOf.get(a.id)!);
    else arc(edge, a, b);
  }
  return { nodes, edges, ...bounds(nodes, edges) };
}

/** A box around the states, the loops and the labels (text width estimated, as for the nodes). */
function bounds(nodes: NodeLayout[], edges: EdgeLayout[]): { x: number; y: number; width: number; height: number } {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  const cover = (x0: number, y0: number, x1: number, y1: number): void => {
    left = Math.min(left, x0);
    top = Math.min(top, y0);
    right = Math.max(right, x1);
    bottom = Math.max(bottom, y1);
  };
  for (const n of nodes) cover(n.x - n.width / 2 - LOOP_REACH, n.y - n.height / 2 - LOOP_REACH, n.x + n.width / 2 + LOOP_REACH, n.y + n.height / 2 + LOOP_REACH);
  for (const e of edges) {
    const w = Math.max(...e.labels.map((l) => 6.5 * (l.message.length + 1)));
    const x0 = e.anchor === "start" ? e.labelX : e.anchor === "end" ? e.labelX - w : e.labelX - w / 2;
    cover(x0, e.labelY - LINE, x0 + w, e.labelY + e.labels.length * LINE);
  }
  const pad = 8;
  return { x: round(left - pad), y: round(top - pad), width: round(right - left + 2 * pad), height: round(bottom - top + 2 * pad) };
}

/** Where the ray from the node's centre in direction (dx, dy) leaves its ellipse. */
function boundary(node: NodeLayout, dx: number, dy: number): [number, number] {
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const t = 1 / Math.sqrt((ux / (node.width / 2)) ** 2 + (uy / (node.height / 2)) ** 2);
  return [node.x + ux * t, node.y + uy * t];
}

/** A curve bent to the left of travel, so a->b and b->a do not overlap. */
function arc(edge: EdgeLayout, a: NodeLayout, b: NodeLayout): void {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dist = Math.hypot(dx, dy) || 1;
  const nx = dy / dist;
  const ny = -dx / dist;
  const bend = 0.18 * dist;
  const cx = (a.x + b.x) / 2 + nx * bend;
  const cy = (a.y + b.y) / 2 + ny * bend;
  const [sx, sy] = boundary(a, cx - a.x, cy - a.y);
  const [ex, ey] = boundary(b, cx - b.x, cy - b.y);
  edge.path = `M ${round(sx)} ${round(sy)} Q ${round(cx)} ${round(cy)} ${round(ex)} ${round(ey)}`;
  // Curve midpoint, pushed a little further out along the bend.
  const mx = 0.25 * sx + 0.5 * cx + 0.25 * ex + nx * 8;
  const my = 0.25 * sy + 0.5 * cy + 0.25 * ey + ny * 8;
  edge.anchor = nx > 0.3 ? "start" : nx < -0.3 ? "end" : "middle";
  edge.labelX = round(mx);
  edge.labelY = round(my - (ny < -0.3 ? (edge.labels.length - 1) * LINE : 0));
}

function selfLoop(edge: EdgeLayout, node: NodeLayout, angle: number): void {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const [sx, sy] = boundary(node, Math.cos(angle - 0.5), Math.sin(angle - 0.5));
  const [ex, ey] = boundary(node, Math.cos(angle + 0.5), Math.sin(angle + 0.5));
  const reach = LOOP_REACH + 10;
  const c1x = sx + Math.cos(angle - 0.6) * reach;
  const c1y = sy + Math.sin(angle - 0.6) * reach;
  const c2x = ex + Math.cos(angle + 0.6) * reach;
  const c2y = ey + Math.sin(angle + 0.6) * reach;
  edge.path = `M ${round(sx)} ${round(sy)} C ${round(c1x)} ${round(c1y)} ${round(c2x)} ${round(c2y)} ${round(ex)} ${round(ey)}`;
  const [bx, by] = boundary(node, ux, uy);
  edge.labelX = round(bx + ux * (reach - 14));
  edge.labelY = round(by + uy * (reach - 14) + 4 - (uy < -0.3 ? edge.labels.length * LINE : 0));
  edge.anchor = ux > 0.3 ? "start" : ux < -0.3 ? "end" : "middle";
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
