// State machine webview (the paper's Figure 3): the protocol's states and transitions as SVG, laid
// out as a layered graph (layout.ts), the monitor's current state lit and its outgoing transitions
// emphasised; after an exploration, the transitions it covered lit and the enabled ones it never
// reached listed. Text only via textContent. The protocol drawn and the scroll position are kept
// across hiding the panel and reloading the window.
import type { CoverageMessage, ProtocolMessage } from "../../shared/messages";
import { el, str, svg } from "../../shared/page/dom";
import { loadViewState, onHostMessage, postToHost, saveViewState } from "../../shared/page/host";
import { changedOnly, type MachineViewState, readMachineState, VIEW_STATE_VERSION } from "../../shared/page/viewState";
import { coverageOf, type MachineCoverage } from "./coverage";
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
const coveragePanel = el("div", "coverage");
coveragePanel.id = "machine-coverage";
coveragePanel.hidden = true;
root.append(title, legend, canvas, coveragePanel);

let protocol: ProtocolMessage | undefined;
let layout: MachineLayout | undefined;
let current: string | undefined;
let coverage: CoverageMessage | undefined;
/** Bumped per protocol: a layout that finishes after a newer protocol arrived is dropped. */
let generation = 0;

function draw(): void {
  if (!protocol || !layout) return;
  const { nodes, edges, x, y, width, height } = layout;
  const covered: MachineCoverage | undefined = coverage !== undefined ? coverageOf(coverage) : undefined;
  const picture = svg("svg", { viewBox: `${x} ${y} ${width} ${height}`, width, height, role: "img" });
  picture.append(svg("title", {}, `State machine of ${str(protocol.name) || "the protocol"}`));
  const defs = svg("defs");
  for (const [id, cls] of [
    ["arrow", ""],
    ["arrow-enabled", "enabled"],
    ["arrow-covered", "covered"],
  ] as const) {
    const marker = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    if (cls) marker.setAttribute("class", cls);
    marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z" }));
    defs.append(marker);
  }
  picture.append(defs);

  for (const edge of edges) {
    const enabled = edge.from === current;
    const counts = edge.labels.map((label) => covered?.count(edge.from, label.message) ?? 0);
    const taken = counts.some((c) => c > 0);
    let cls = "transition";
    if (enabled) cls += " enabled";
    if (taken) cls += " covered";
    const group = svg("g", { class: cls });
    group.dataset.from = edge.from;
    group.dataset.to = edge.to;
    const marker = enabled ? "arrow-enabled" : taken ? "arrow-covered" : "arrow";
    group.append(svg("path", { d: edge.path, "marker-end": `url(#${marker})` }));
    const text = svg("text", { x: edge.labelX, y: edge.labelY, "text-anchor": edge.anchor });
    edge.labels.forEach((label, i) => {
      const prefix = label.direction === "in" ? "?" : label.direction === "out" ? "!" : "";
      const span = svg("tspan", { x: edge.labelX, dy: i === 0 ? 0 : "1.2em" }, prefix + label.message);
      const classes = [
        label.direction ?? "",
        counts[i]! > 0 ? "covered" : "",
        covered?.isUnreached(edge.from, label.message) === true ? "unreached" : "",
      ].filter(Boolean);
      if (classes.length > 0) span.setAttribute("class", classes.join(" "));
      if (covered !== undefined) span.dataset.count = String(counts[i]);
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
  drawCoverage(covered);
}

/** Under the drawing: how much of the protocol the last exploration reached, and what it never did. */
function drawCoverage(covered: MachineCoverage | undefined): void {
  if (coverage === undefined || covered === undefined) {
    coveragePanel.hidden = true;
    coveragePanel.replaceChildren();
    return;
  }
  const runs = typeof coverage.runs === "number" ? ` (${coverage.runs} runs)` : "";
  const of = str(coverage.driver) ? ` of ${str(coverage.driver)}` : "";
  const heading = el(
    "div",
    "coverage-title",
    `Last exploration${of}${runs}: ${covered.pairs} (state, message) pairs covered, ${covered.unreached.length} never reached`,
  );
  const children: HTMLElement[] = [heading];
  if (covered.unreached.length > 0) {
    const list = el("ul", "unreached");
    list.setAttribute("aria-label", "Transitions no run reached");
    for (const pair of covered.unreached) {
      const item = el("li", undefined, `${pair.state}: ${pair.message}`);
      item.dataset.state = pair.state;
      item.dataset.message = pair.message;
      list.append(item);
    }
    children.push(list);
  }
  coveragePanel.replaceChildren(...children);
  coveragePanel.hidden = false;
}

function showTitle(): void {
  const name = str(protocol?.name) || "Protocol";
  title.textContent = current !== undefined ? `${name}: in state ${current}` : name;
}

/** Lays the protocol out (asynchronously: ELK), then draws it; `aria-busy` while the layout runs. */
async function show(message: ProtocolMessage): Promise<void> {
  const mine = ++generation;
  protocol = message;
  current = typeof message.current === "string" ? message.current : message.initial;
  canvas.setAttribute("aria-busy", "true");
  try {
    const laid = await layoutMachine(message);
    if (mine !== generation) return;
    layout = laid;
  } catch (error) {
    if (mine !== generation) return;
    layout = undefined;
    canvas.replaceChildren(el("div", "empty", `The state machine could not be laid out: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    if (mine === generation) canvas.removeAttribute("aria-busy");
  }
  showTitle();
  draw();
}

const writeState = changedOnly<MachineViewState>(saveViewState);

function saveState(): void {
  const drawn = protocol === undefined ? null : { ...protocol, ...defined({ current }) };
  writeState({ v: VIEW_STATE_VERSION, view: "machine", protocol: drawn, scrollTop: root.scrollTop, scrollLeft: root.scrollLeft });
}

// After a window reload the extension has no protocol to replay: draw the saved one at once.
const saved = readMachineState(loadViewState());
if (saved?.protocol) {
  void show(saved.protocol).then(() => {
    root.scrollTop = saved.scrollTop;
    root.scrollLeft = saved.scrollLeft;
  });
}

onHostMessage((message) => {
  if (message.type === "protocol") {
    void show(message).then(saveState);
    return;
  }
  if (message.type === "current" && typeof message.state === "string") current = message.state;
  else if (message.type === "coverage")
    coverage = message.driver === undefined && message.transitions.length === 0 && message.unreached.length === 0 ? undefined : message;
  else return;
  if (canvas.getAttribute("aria-busy") === "true") return; // drawn when the layout is done
  showTitle();
  draw();
  saveState();
});
root.addEventListener("scroll", saveState);
postToHost({ type: "ready", view: "machine" });
