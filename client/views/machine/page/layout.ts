// Layout of a protocol state machine as a layered graph (ELK's Sugiyama-style "layered" algorithm,
// top to bottom), so a protocol of ten or more states stays readable: states keep BFS order from
// the initial state (then unreachable and undeclared ones), one edge per (from, to) pair carries all
// its messages as one label block, back edges and self-loops are routed by ELK. Deterministic: ELK
// runs with a fixed seed and the model order. Pure (no DOM); ELK runs in the calling thread.
import ELK, { type ElkExtendedEdge, type ElkNode } from "elkjs/lib/elk.bundled.js";
import type { MessageDirection, ProtocolMessage } from "../../shared/messages";

export interface NodeLayout {
  id: string;
  /** Centre of the state's box. */
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
  /** Baseline of the first label line. */
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
/** One label line (11px text) and the estimated width of a character of it. */
const LINE = 14;
const CHAR = 6.5;
/** Radius of the rounded corners of orthogonal edges. */
const CORNER = 6;

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

/** The transitions grouped per (from, to) pair, in declaration order. */
function groupedEdges(protocol: Pick<ProtocolMessage, "states" | "directions">): EdgeLayout[] {
  const grouped = new Map<string, EdgeLayout>();
  for (const [from, message, to] of transitions(protocol.states)) {
    const key = JSON.stringify([from, to]);
    let edge = grouped.get(key);
    if (!edge) {
      edge = { from, to, labels: [], path: "", labelX: 0, labelY: 0, anchor: "start" };
      grouped.set(key, edge);
    }
    const direction = protocol.directions && Object.prototype.hasOwnProperty.call(protocol.directions, message) ? protocol.directions[message] : undefined;
    edge.labels.push({ message, direction });
  }
  return [...grouped.values()];
}

/** Width of a label block: its longest line, with its ?/! prefix. */
function labelWidth(labels: readonly EdgeLabel[]): number {
  return Math.max(...labels.map((l) => CHAR * (l.message.length + 1)));
}

const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.randomSeed": "1",
  "elk.padding": "[top=12,left=12,bottom=12,right=12]",
  "elk.spacing.nodeNode": "40",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.edgeEdge": "14",
  "elk.layered.spacing.nodeNodeBetweenLayers": "50",
  "elk.layered.spacing.edgeNodeBetweenLayers": "16",
  // Declaration (BFS) order decides which edges point back up: the initial state comes first.
  "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

let elk: InstanceType<typeof ELK> | undefined;

export async function layoutMachine(protocol: Pick<ProtocolMessage, "states" | "initial" | "directions">): Promise<MachineLayout> {
  const { order, reachable } = stateOrder(protocol);
  const declared = new Set(Object.keys(protocol.states));
  const edges = groupedEdges(protocol);
  // ELK ids are indices: state names are any text (also "__proto__"), and ids must be unique strings.
  const nodeId = new Map(order.map((id, i) => [id, `n${i}`]));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: order.map((id) => ({ id: nodeId.get(id)!, width: nodeWidth(id), height: NODE_HEIGHT })),
    edges: edges.map((edge, i): ElkExtendedEdge => ({
      id: `e${i}`,
      sources: [nodeId.get(edge.from)!],
      targets: [nodeId.get(edge.to)!],
      labels: [{ id: `l${i}`, text: edge.labels.map((l) => l.message).join("\n"), width: labelWidth(edge.labels), height: edge.labels.length * LINE }],
    })),
  };
  elk ??= new ELK();
  const laid = await elk.layout(graph);
  const placed = new Map((laid.children ?? []).map((child) => [child.id, child]));
  const nodes: NodeLayout[] = order.map((id) => {
    const box = placed.get(nodeId.get(id)!)!;
    const width = box.width ?? nodeWidth(id);
    const height = box.height ?? NODE_HEIGHT;
    return {
      id,
      x: round((box.x ?? 0) + width / 2),
      y: round((box.y ?? 0) + height / 2),
      width,
      height,
      initial: id === protocol.initial,
      reachable: reachable.has(id),
      declared: declared.has(id),
    };
  });
  const laidEdges = new Map((laid.edges ?? []).map((edge) => [edge.id, edge as ElkExtendedEdge]));
  edges.forEach((edge, i) => {
    const routed = laidEdges.get(`e${i}`);
    const points: [number, number][] = [];
    for (const section of routed?.sections ?? []) {
      for (const p of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) points.push([p.x, p.y]);
    }
    edge.path = roundedPath(points);
    const label = routed?.labels?.[0];
    edge.labelX = round(label?.x ?? points[0]?.[0] ?? 0);
    edge.labelY = round((label?.y ?? points[0]?.[1] ?? 0) + LINE - 3);
  });
  return { nodes, edges, ...bounds(nodes, edges, laid) };
}

/** A polyline with its corners rounded (quadratic curves), as SVG path data. */
export function roundedPath(points: readonly [number, number][]): string {
  if (points.length === 0) return "";
  const [x0, y0] = points[0]!;
  let d = `M ${round(x0)} ${round(y0)}`;
  for (let i = 1; i < points.length; i++) {
    const [x, y] = points[i]!;
    const after = points[i + 1];
    if (after === undefined) {
      d += ` L ${round(x)} ${round(y)}`;
      break;
    }
    const [px, py] = points[i - 1]!;
    const inLen = Math.hypot(x - px, y - py);
    const outLen = Math.hypot(after[0] - x, after[1] - y);
    const r = Math.min(CORNER, inLen / 2, outLen / 2);
    if (r <= 0) {
      d += ` L ${round(x)} ${round(y)}`;
      continue;
    }
    const ax = x - ((x - px) / inLen) * r;
    const ay = y - ((y - py) / inLen) * r;
    const bx = x + ((after[0] - x) / outLen) * r;
    const by = y + ((after[1] - y) / outLen) * r;
    d += ` L ${round(ax)} ${round(ay)} Q ${round(x)} ${round(y)} ${round(bx)} ${round(by)}`;
  }
  return d;
}

/** A box around ELK's graph, the states and the labels (text width estimated, as for ELK). */
function bounds(nodes: NodeLayout[], edges: EdgeLayout[], graph: ElkNode): { x: number; y: number; width: number; height: number } {
  let left = 0;
  let top = 0;
  let right = graph.width ?? 0;
  let bottom = graph.height ?? 0;
  const cover = (x0: number, y0: number, x1: number, y1: number): void => {
    left = Math.min(left, x0);
    top = Math.min(top, y0);
    right = Math.max(right, x1);
    bottom = Math.max(bottom, y1);
  };
  for (const n of nodes) cover(n.x - n.width / 2 - 6, n.y - n.height / 2 - 6, n.x + n.width / 2 + 6, n.y + n.height / 2 + 6);
  for (const e of edges) cover(e.labelX, e.labelY - LINE, e.labelX + labelWidth(e.labels), e.labelY + e.labels.length * LINE);
  return { x: round(left), y: round(top), width: round(right - left), height: round(bottom - top) };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
