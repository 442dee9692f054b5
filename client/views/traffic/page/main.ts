// Traffic webview: the trace as a live sequence diagram. Toolbar (filters, search, export), the
// virtualised diagram, keyboard navigation, the message wiring to the extension, and the view state
// (filters, search, selection, scroll) kept across hiding the panel and reloading the window.
import type { CurrentMessage, EventsMessage, TraceEvent } from "../../shared/messages";
import { el } from "../../shared/page/dom";
import { loadViewState, onHostMessage, postToHost, saveViewState } from "../../shared/page/host";
import { changedOnly, defaultTrafficState, readTrafficState, type TrafficViewState } from "../../shared/page/viewState";
import { laneName } from "./describe";
import { TrafficModel } from "./model";
import { TrafficView } from "./view";

const MAX_MAILBOX_SUGGESTIONS = 500;

const model = new TrafficModel();
const root = document.getElementById("root") ?? document.body.appendChild(el("div"));
root.className = "traffic";

const mailboxInput = input("filter-mailbox", "Mailbox filter", "mailbox");
mailboxInput.setAttribute("list", "mailboxes");
const mailboxList = el("datalist");
mailboxList.id = "mailboxes";
const laneSelect = el("select");
laneSelect.id = "filter-lane";
laneSelect.title = "Show events from or to one lifeline";
const searchInput = input("search", "Search: Enter next, Shift+Enter previous", "search");
const prevButton = button("search-prev", "\u2191", "Previous match (Shift+Enter)");
const nextButton = button("search-next", "\u2193", "Next match (Enter)");
const searchCount = el("span", "count");
searchCount.id = "search-count";
const status = el("span", "status");
status.id = "status";
const followButton = button("follow", "Follow", "Scroll to the newest event and keep following");
const exportJsonl = button("export-jsonl", "Export JSONL", "Save the trace as JSON lines");
const exportChrome = button("export-chrome", "Export Chrome trace", "Save the trace for Perfetto / chrome://tracing");
const toolbar = el("div", "toolbar");
toolbar.append(
  mailboxInput,
  mailboxList,
  laneSelect,
  searchInput,
  prevButton,
  nextButton,
  searchCount,
  el("span", "grow"),
  status,
  followButton,
  exportJsonl,
  exportChrome,
);

const scroller = el("div", "scroller");
scroller.id = "diagram";
scroller.tabIndex = 0;
scroller.setAttribute("role", "listbox");
scroller.setAttribute("aria-label", "Mailbox traffic");
root.append(toolbar, scroller);

const view = new TrafficView(model, scroller, (ev) => {
  model.select(ev);
  view.render();
  reveal(ev);
  changed();
});
let pendingCurrentSeq: number | null = null;

/** The state saved before this page was last destroyed: its selection and scroll apply to the trace the extension replays on `ready`. */
let restoring: TrafficViewState | undefined = readTrafficState(loadViewState());
/** The debugger's seq when the state was saved: the replayed `current` does not move the view unless the debugger moved. */
let restoredCurrent: number | null | undefined;
const writeState = changedOnly<TrafficViewState>(saveViewState);
if (restoring) {
  mailboxInput.value = restoring.mailbox;
  searchInput.value = restoring.query;
  model.setFilter({ mailbox: restoring.mailbox, lane: restoring.lane });
  model.setQuery(restoring.query);
}
rebuildLaneOptions();

function input(id: string, title: string, placeholder: string): HTMLInputElement {
  const node = el("input");
  node.id = id;
  node.type = "search";
  node.title = title;
  node.placeholder = placeholder;
  node.spellcheck = false;
  return node;
}

function button(id: string, text: string, title: string): HTMLButtonElement {
  const node = el("button", undefined, text);
  node.id = id;
  node.type = "button";
  node.title = title;
  return node;
}

function reveal(ev: number): void {
  const e = model.events[ev];
  const loc = e?.loc;
  if (!e || !loc || typeof loc.file !== "string" || typeof loc.line !== "number" || typeof loc.column !== "number") return;
  postToHost({ type: "reveal", seq: e.seq, loc: { file: loc.file, line: loc.line, column: loc.column } });
}

function rebuildLaneOptions(): void {
  const chosen = model.filter.lane;
  const all = el("option", undefined, "all lifelines");
  all.value = "";
  // A chosen lifeline this trace has not shown (yet) stays listed: the select says what the filter does.
  const lanes = chosen === "" || model.lanes.includes(chosen) ? model.lanes : [...model.lanes, chosen];
  laneSelect.replaceChildren(
    all,
    ...lanes.map((lane) => {
      const option = el("option", undefined, laneName(lane));
      option.value = lane;
      return option;
    }),
  );
  laneSelect.value = chosen;
}

function rebuildMailboxOptions(): void {
  const names = [...model.mailboxes].slice(0, MAX_MAILBOX_SUGGESTIONS).sort();
  mailboxList.replaceChildren(
    ...names.map((name) => {
      const option = el("option");
      option.value = name;
      return option;
    }),
  );
}

function updateStatus(): void {
  const total = model.events.length;
  status.textContent = model.rowCount === total ? `${total} events` : `${model.rowCount} of ${total} events`;
  const n = model.matches.length;
  searchCount.textContent = n === 0 ? (searchInput.value.trim() ? "no match" : "") : `${model.matchCursor >= 0 ? model.matchCursor + 1 : "-"}/${n}`;
  followButton.classList.toggle("on", view.follow);
}

/** A safe seq of event index `ev`, or null (events come from another process: a seq may be odd). */
function seqOf(ev: number): number | null {
  const seq = ev >= 0 ? model.events[ev]?.seq : undefined;
  return typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

function viewState(): TrafficViewState {
  const typed = { mailbox: mailboxInput.value, lane: model.filter.lane, query: searchInput.value };
  // Until the replayed trace arrives, the saved selection and scroll are still what the user looks at.
  if (restoring) return { ...restoring, ...typed };
  const top = model.rowCount > 0 ? seqOf(model.eventAt(Math.max(0, view.topRow))) : null;
  const current = model.current >= 0 ? seqOf(model.current) : pendingCurrentSeq;
  return { ...defaultTrafficState(), ...typed, selected: seqOf(model.selected), onMatch: model.matchCursor >= 0, top, follow: view.follow, current };
}

/** After anything the user sees changed: the status line, and the state VS Code keeps for the next page. */
function changed(): void {
  updateStatus();
  writeState(viewState());
}

/** Puts back the saved selection and scroll position, on the trace as the extension replayed it. */
function restoreView(saved: TrafficViewState): void {
  const selected = saved.selected === null ? -1 : model.indexOfSeq(saved.selected);
  if (selected >= 0) {
    model.select(selected);
    const row = model.rowOf(selected);
    if (saved.onMatch && row >= 0) model.matchCursor = model.matches.indexOf(row);
  }
  if (!saved.follow && saved.top !== null) view.scrollRowToTop(model.rowAtOrAfterSeq(saved.top));
  restoredCurrent = saved.current;
  view.render();
}

function onEvents(message: EventsMessage): void {
  if (message.reset) {
    model.reset();
    view.follow = true;
  }
  const added = model.append(message.events as TraceEvent[]);
  if (added.lanes || message.reset) {
    view.updateLanes();
    rebuildLaneOptions();
  }
  if (added.mailboxes || message.reset) rebuildMailboxOptions();
  const saved = restoring;
  restoring = undefined;
  if (saved && !saved.follow) view.follow = false;
  view.refresh();
  if (saved) restoreView(saved);
  if (pendingCurrentSeq !== null) {
    setCurrent(pendingCurrentSeq);
    view.render();
  }
  changed();
}

function setCurrent(seq: number | null): void {
  const ev = seq === null ? -1 : model.indexOfSeq(seq);
  pendingCurrentSeq = seq !== null && ev < 0 ? seq : null;
  model.current = ev;
  if (ev >= 0) {
    model.select(ev);
    view.scrollToRow(model.rowOf(ev), "center");
  }
}

function onCurrent(message: CurrentMessage): void {
  const unmoved = restoredCurrent !== undefined && message.seq === restoredCurrent;
  restoredCurrent = undefined;
  const ev = message.seq === null ? -1 : model.indexOfSeq(message.seq);
  if (unmoved && (message.seq === null || ev >= 0)) {
    // The debugger stands where it stood when the page was saved: light it, keep the user's selection and scroll.
    model.current = ev;
    pendingCurrentSeq = null;
  } else setCurrent(message.seq);
  view.render();
  changed();
}

function onFilter(): void {
  model.setFilter({ mailbox: mailboxInput.value, lane: laneSelect.value });
  view.refresh();
  const keep = model.selected >= 0 ? model.selected : model.current;
  if (!view.follow && keep >= 0) view.scrollToRow(model.rowOf(keep), "center");
  view.render();
  changed();
}

function step(direction: 1 | -1, inclusive = false): void {
  const row = model.stepMatch(direction, inclusive);
  if (row >= 0) view.scrollToRow(row, "center");
  view.render();
  changed();
}

function moveSelection(to: number): void {
  if (model.rowCount === 0) return;
  const row = Math.max(0, Math.min(model.rowCount - 1, to));
  model.select(model.eventAt(row));
  view.scrollToRow(row, "nearest");
  view.render();
  changed();
}

mailboxInput.addEventListener("input", onFilter);
laneSelect.addEventListener("change", onFilter);
searchInput.addEventListener("input", () => {
  model.setQuery(searchInput.value);
  step(1, true);
});
searchInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter") step(event.shiftKey ? -1 : 1);
  else if (event.key === "Escape") scroller.focus();
  else return;
  event.preventDefault();
});
prevButton.addEventListener("click", () => step(-1));
nextButton.addEventListener("click", () => step(1));
followButton.addEventListener("click", () => {
  view.scrollToEnd();
  view.render();
  changed();
});
exportJsonl.addEventListener("click", () => postToHost({ type: "export", format: "jsonl" }));
exportChrome.addEventListener("click", () => postToHost({ type: "export", format: "chrome" }));
scroller.addEventListener("scroll", () => {
  followButton.classList.toggle("on", view.follow);
  writeState(viewState());
});

scroller.addEventListener("keydown", (event) => {
  const selectedRow = model.selected >= 0 ? model.rowOf(model.selected) : -1;
  const at = selectedRow >= 0 ? selectedRow : view.topRow - 1;
  switch (event.key) {
    case "ArrowDown":
      moveSelection(at + 1);
      break;
    case "ArrowUp":
      moveSelection(selectedRow >= 0 ? at - 1 : view.topRow);
      break;
    case "PageDown":
      moveSelection(at + view.pageRows);
      break;
    case "PageUp":
      moveSelection(at - view.pageRows);
      break;
    case "Home":
      moveSelection(0);
      break;
    case "End":
      moveSelection(model.rowCount - 1);
      break;
    case "Enter":
      if (model.selected >= 0) reveal(model.selected);
      break;
    case "/":
      searchInput.focus();
      break;
    case "n":
    case "N":
      step(event.shiftKey ? -1 : 1);
      break;
    default:
      return;
  }
  event.preventDefault();
  changed();
});

onHostMessage((message) => {
  if (message.type === "events") onEvents(message);
  else if (message.type === "current") onCurrent(message);
});
updateStatus();
postToHost({ type: "ready", view: "traffic" });
