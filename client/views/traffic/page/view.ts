// The sequence diagram, virtualised: a tall spacer holds a small pool of absolutely positioned rows;
// row r is drawn by slot r % pool size, so scrolling one row repaints one slot. Lifelines are one
// CSS background on the spacer, not per-row elements.
import { el, str } from "../../shared/page/dom";
import { eventLabel, eventTooltip, formatTime, laneName } from "./describe";
import type { TrafficModel } from "./model";

export const ROW_HEIGHT = 22;
export const LANE_WIDTH = 140;
export const GUTTER = 160;
const OVERSCAN = 8;
const LABEL_ROOM = 260;
const KINDS = new Set(["send", "deliver", "wait", "wake", "state", "device", "fault", "log"]);

interface Slot {
  root: HTMLDivElement;
  seq: HTMLSpanElement;
  time: HTMLSpanElement;
  arrow: HTMLDivElement;
  mark: HTMLSpanElement;
  label: HTMLSpanElement;
  /** What the slot shows now (-1: nothing), to skip repainting unchanged rows. */
  row: number;
  ev: number;
  layout: number;
}

export class TrafficView {
  /** Keep the newest event in view as events arrive; false once the user scrolls away from the end. */
  follow = true;
  private readonly header = el("div", "header");
  private readonly headerLanes = el("div", "header-lanes");
  private readonly spacer = el("div", "spacer");
  private readonly laneLines = el("div", "lane-lines");
  private readonly pool: Slot[] = [];
  private readonly slotOf = new WeakMap<Element, Slot>();
  private laneIndex = new Map<string, number>();
  private viewHeight = 0;
  private headerHeight = 0;

  constructor(
    private readonly model: TrafficModel,
    readonly scroller: HTMLElement,
    private readonly activate: (ev: number) => void,
  ) {
    this.header.append(el("span", "header-gutter", "seq   time"), this.headerLanes);
    this.spacer.append(this.laneLines);
    scroller.append(this.header, this.spacer);
    scroller.addEventListener("scroll", () => {
      this.follow = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - ROW_HEIGHT / 2;
      this.render();
    });
    this.spacer.addEventListener("click", (event) => {
      const row = (event.target as Element).closest(".row");
      const slot = row && this.slotOf.get(row);
      if (slot && slot.ev >= 0) this.activate(slot.ev);
    });
    new ResizeObserver(() => {
      this.measure();
      this.render();
    }).observe(scroller);
    this.measure();
    this.updateLanes();
  }

  private measure(): void {
    this.headerHeight = this.header.offsetHeight;
    this.viewHeight = Math.max(0, this.scroller.clientHeight - this.headerHeight);
  }

  /** Rebuilds the lifeline header after lifelines appear. */
  updateLanes(): void {
    const lanes = this.model.lanes;
    this.laneIndex = new Map(lanes.map((lane, i) => [lane, i]));
    // Room on the right for the labels of events on the last lifeline.
    const width = `${GUTTER + lanes.length * LANE_WIDTH + LABEL_ROOM}px`;
    this.header.style.width = this.spacer.style.width = width;
    this.laneLines.style.width = `${lanes.length * LANE_WIDTH}px`;
    this.headerLanes.replaceChildren(
      ...lanes.map((lane, i) => {
        const name = el("span", `lane-name${lane.startsWith("thread:") ? " thread" : ""}`, laneName(lane));
        name.title = lane;
        name.style.left = `${i * LANE_WIDTH}px`;
        name.style.width = `${LANE_WIDTH}px`;
        return name;
      }),
    );
  }

  /** After the row count changes: resize the spacer, follow the end if following, redraw. */
  refresh(): void {
    this.spacer.style.height = `${this.model.rowCount * ROW_HEIGHT}px`;
    if (this.follow) this.scrollToEnd();
    this.render();
  }

  scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.follow = true;
  }

  /** "center": put the row mid-view unless it is already in view; "nearest": the least scroll that shows it. */
  scrollToRow(row: number, mode: "center" | "nearest"): void {
    if (row < 0) return;
    const top = row * ROW_HEIGHT;
    const scrollTop = this.scroller.scrollTop;
    const inView = top >= scrollTop && top + ROW_HEIGHT <= scrollTop + this.viewHeight;
    if (inView) return;
    if (mode === "center") this.scroller.scrollTop = top - (this.viewHeight - ROW_HEIGHT) / 2;
    else if (top < scrollTop) this.scroller.scrollTop = top;
    else this.scroller.scrollTop = top + ROW_HEIGHT - this.viewHeight;
    this.follow = false;
  }

  /** Scrolls so that `row` is the first row in view (restoring a saved position); stops following. */
  scrollRowToTop(row: number): void {
    if (row < 0) return;
    this.scroller.scrollTop = row * ROW_HEIGHT;
    this.follow = false;
  }

  /** Rows that fit in the viewport (for PageUp/PageDown). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.viewHeight / ROW_HEIGHT) - 1);
  }

  /** The first row in view. */
  get topRow(): number {
    return Math.min(this.model.rowCount - 1, Math.ceil(this.scroller.scrollTop / ROW_HEIGHT));
  }

  render(): void {
    const model = this.model;
    const scrollTop = this.scroller.scrollTop;
    const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(model.rowCount, Math.ceil((scrollTop + this.viewHeight) / ROW_HEIGHT) + OVERSCAN);
    this.growPool(Math.ceil(this.viewHeight / ROW_HEIGHT) + 2 * OVERSCAN + 1);
    const size = this.pool.length;
    const inRange = new Uint8Array(size);
    for (let row = first; row < end; row++) {
      const slot = this.pool[row % size]!;
      inRange[row % size] = 1;
      this.paint(slot, row);
    }
    for (let i = 0; i < size; i++) {
      const slot = this.pool[i]!;
      if (!inRange[i] && slot.row !== -1) {
        slot.row = slot.ev = -1;
        slot.root.hidden = true;
      }
    }
  }

  private growPool(size: number): void {
    if (this.pool.length >= size) return;
    while (this.pool.length < size) {
      const slot: Slot = {
        root: el("div", "row"),
        seq: el("span", "seq"),
        time: el("span", "time"),
        arrow: el("div", "arrow"),
        mark: el("span", "mark"),
        label: el("span", "label"),
        row: -1,
        ev: -1,
        layout: -1,
      };
      slot.root.hidden = true;
      slot.root.setAttribute("role", "option");
      slot.root.append(slot.seq, slot.time, slot.arrow, slot.mark, slot.label);
      this.slotOf.set(slot.root, slot);
      this.spacer.append(slot.root);
      this.pool.push(slot);
    }
    // Slot assignment is row % size: after growing, every slot's row is stale.
    for (const slot of this.pool) slot.row = -1;
  }

  private paint(slot: Slot, row: number): void {
    const model = this.model;
    const ev = model.eventAt(row);
    if (slot.row !== row || slot.ev !== ev || slot.layout !== model.layoutVersion) {
      slot.row = row;
      slot.ev = ev;
      slot.layout = model.layoutVersion;
      this.fill(slot, row, ev);
    }
    const e = model.events[ev]!;
    let cls = `row kind-${KINDS.has(e.kind) ? e.kind : "other"}`;
    if (ev === model.current) cls += " current";
    if (ev === model.selected) cls += " selected";
    if (model.matches.length > 0 && model.isMatch(row)) cls += model.matches[model.matchCursor] === row ? " match match-current" : " match";
    if (slot.root.className !== cls) slot.root.className = cls;
    slot.root.ariaSelected = ev === model.selected ? "true" : "false";
  }

  private fill(slot: Slot, row: number, ev: number): void {
    const e = this.model.events[ev]!;
    const root = slot.root;
    root.hidden = false;
    root.dataset.seq = str(e.seq);
    root.style.transform = `translateY(${row * ROW_HEIGHT}px)`;
    root.title = eventTooltip(e);
    slot.seq.textContent = str(e.seq);
    slot.time.textContent = formatTime(e.time);
    slot.label.textContent = eventLabel(e);

    const lanes = this.model.lanes.length;
    const centre = (lane: unknown): number => {
      const i = this.laneIndex.get(str(lane));
      return i === undefined ? -1 : GUTTER + i * LANE_WIDTH + LANE_WIDTH / 2;
    };
    const from = centre(e.from);
    const to = e.kind === "send" && e.to !== undefined ? centre(e.to) : -1;
    const rightEdge = GUTTER + lanes * LANE_WIDTH;
    if (e.kind === "send" && to >= 0 && to !== from) {
      const left = Math.min(from, to);
      const width = Math.abs(to - from);
      slot.arrow.className = `arrow ${to > from ? "to-right" : "to-left"}`;
      place(slot.arrow, left, width);
      place(slot.label, left + 4, width - 8);
      slot.label.className = "label on-arrow";
      slot.mark.hidden = true;
    } else if (e.kind === "send") {
      slot.arrow.className = "arrow self";
      place(slot.arrow, from, 18);
      place(slot.label, from + 24, Math.max(LANE_WIDTH, rightEdge - from - 24));
      slot.label.className = "label";
      slot.mark.hidden = true;
    } else {
      slot.arrow.className = "arrow none";
      slot.mark.hidden = false;
      place(slot.mark, from - 5, 10);
      place(slot.label, from + 10, Math.max(LANE_WIDTH, rightEdge - from - 10));
      slot.label.className = e.kind === "state" ? "label note" : "label";
    }
  }
}

function place(node: HTMLElement, left: number, width: number): void {
  node.style.left = `${left}px`;
  node.style.width = `${Math.max(0, width)}px`;
}
