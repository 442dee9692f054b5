// State machine webview (the paper's Figure 3): the protocol's states and transitions as SVG, the
// monitor's current state lit and its outgoing transitions emphasised. Text only via textContent.
// The protocol drawn and the scroll position are kept across hiding the panel and reloading the window.
import type { ProtocolMessage } from "../../shared/messages";
import { el, str, svg } from "../../shared/page/dom";
import { loadViewState, onHostMessage, postToHost, saveViewState } from "../../shared/page/host";
import { changedOnly, type MachineViewState, readMachineState, VIEW_STATE_VERSION } from "../../shared/page/viewState";
import { type MachineLayout, layoutMachine } from "./layout";
import { defined } from "../../../../runtime/src/defined";

const root = document.getElementById("root") ?? document.body.appendChild(el("div"));
root.className = "machine";
const title = el("div", "title", "Protocol");
title.id = "machine-title";
const legend = el("div", "legend", "?message: incoming (OS \u2192 driver) \u00b7 !message: outgoing (driver \u2192 OS)");
const canvas = el("div", "canvas");
canvas.id = "machine";
canvas.append(el("div", "empty", "Waiting for the protocol\u2026"));
root.append(title, legend, canvas);

let protocol: ProtocolMessage | undefined;
let layout: MachineLayout | undefined;
let current: string | undefined;

function draw(): void {
  if (!protocol || !layout) return;
  const { nodes, edges, x, y, width, height } = layout;
  const picture = svg("svg", { viewBox: `${x} ${y} ${width} ${height}`, width, height, role: "img" });
  picture.append(svg("title", {}, `State machine of ${str(protocol.name) || "the protocol"}`));
  const defs = svg("defs");
  for (const [id, cls] of [["arrow", ""], ["arrow-enabled", "enabled"]] as const) {
    const marker = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    if (cls) marker.setAttribute("class", cls);
    marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z" }));
    defs.append(marker);
  }
  picture.append(defs);

  for (const edge of edges) {
    const enabled = edge.from === current;
    const group = svg("g", { class: enabled ? "transition enabled" : "transition" });
    group.dataset.from = edge.from;
    group.dataset.to = edge.to;
    group.append(svg("path", { d: edge.path, "marker-end": `url(#${enabled ? "arrow-enabled" : "arrow"})` }));
    const text = svg("text", { x: edge.labelX, y: edge.labelY, "text-anchor": edge.anchor });
    edge.labels.forEach((label, i) => {
      const prefix = label.direction === "in" ? "?" : label.direction === "out" ? "!" : "";
      const span = svg("tspan", { x: edge.labelX, dy: i === 0 ? 0 : "1.2em" }, prefix + label.message);
      if (label.direction) span.setAttribute("class", label.direction);
      text.append(span);
    });
    group.append(text);
    picture.append(group);
  }

  for (const node of nodes) {
    let cls = "state-node";
    if (node.id === current) cls += " current";
    if (node.initial) cls += " initial";
    if (!node.reachable) cls += " unreachable";
    if (!node.declared) cls += " undeclared";
    const group = svg("g", { class: cls });
    group.dataset.state = node.id;
    const left = node.x - node.width / 2;
    const top = node.y - node.height / 2;
    if (node.initial) group.append(svg("rect", { class: "outer", x: left - 4, y: top - 4, width: node.width + 8, height: node.height + 8, rx: 19 }));
    group.append(svg("rect", { x: left, y: top, width: node.width, height: node.height, rx: 15 }));
    group.append(svg("text", { x: node.x, y: node.y }, node.id));
    if (node.id === current) group.setAttribute("aria-current", "true");
    picture.append(group);
  }
  canvas.replaceChildren(picture);
}

function showTitle(): void {
  const name = str(protocol?.name) || "Protocol";
  title.textContent = current !== undefined ? `${name}: in state ${current}` : name;
}

function show(message: ProtocolMessage): void {
  protocol = message;
  layout = layoutMachine(message);
  current = typeof message.current === "string" ? message.current : message.initial;
}

const writeState = changedOnly<MachineViewState>(saveViewState);

function saveState(): void {
  const drawn = protocol === undefined ? null : { ...protocol, ...defined({ current }) };
  writeState({ v: VIEW_STATE_VERSION, view: "machine", protocol: drawn, scrollTop: root.scrollTop, scrollLeft: root.scrollLeft });
}

// After a window reload the extension has no protocol to replay: draw the saved one at once.
const saved = readMachineState(loadViewState());
if (saved?.protocol) {
  show(saved.protocol);
  showTitle();
  draw();
  root.scrollTop = saved.scrollTop;
  root.scrollLeft = saved.scrollLeft;
}

onHostMessage((message) => {
  if (message.type === "protocol") show(message);
  else if (message.type === "current" && typeof message.state === "string") current = message.state;
  else return;
  showTitle();
  draw();
  saveState();
});
root.addEventListener("scroll", saveState);
postToHost({ type: "ready", view: "machine" });
