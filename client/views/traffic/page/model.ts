// The traffic view's data, without DOM: events, lifelines, the filtered rows, search matches,
// the current (debugger) event and the keyboard selection. Rows index the filtered list.
import type { TraceEvent } from "../../shared/messages";
import { haystack } from "./describe";

export interface Filter {
  /** Case-insensitive substring of the mailbox name; events without a mailbox are hidden when set. */
  mailbox: string;
  /** A lifeline (e.g. "thread:rx"): events from or to it; "" for all. */
  lane: string;
}

export class TrafficModel {
  readonly events: TraceEvent[] = [];
  /** OS, adapter, driver threads (and unknown lifelines) in order of appearance, NIC. */
  lanes: string[] = ["os", "adapter", "nic"];
  readonly mailboxes = new Set<string>();
  filter: Filter = { mailbox: "", lane: "" };
  /** Event indices of the rows when a filter is set; undefined: row i is event i. */
  private rows: number[] | undefined;
  private query = "";
  /** Rows that match the search, ascending. */
  matches: number[] = [];
  /** Index into `matches` of the match the user is on, or -1. */
  matchCursor = -1;
  /** Event indices: the debugger's position and the keyboard/mouse selection (-1: none). */
  current = -1;
  selected = -1;
  /** Bumped when lanes change, so the view re-lays out every row. */
  layoutVersion = 0;

  reset(): void {
    this.events.length = 0;
    this.mailboxes.clear();
    this.lanes = ["os", "adapter", "nic"];
    this.current = this.selected = -1;
    this.layoutVersion++;
    this.applyFilter();
  }

  /** Appends events; returns whether new lifelines or mailboxes appeared. */
  append(batch: readonly TraceEvent[]): { lanes: boolean; mailboxes: boolean } {
    const changed = { lanes: false, mailboxes: false };
    const start = this.events.length;
    for (const e of batch) {
      if (typeof e !== "object" || e === null) continue;
      this.events.push(e);
      if (this.noteLane(e.from)) changed.lanes = true;
      if (e.to !== undefined && this.noteLane(e.to)) changed.lanes = true;
      if (typeof e.mailbox === "string" && !this.mailboxes.has(e.mailbox)) {
        this.mailboxes.add(e.mailbox);
        changed.mailboxes = true;
      }
    }
    if (changed.lanes) this.layoutVersion++;
    for (let i = start; i < this.events.length; i++) {
      if (this.rows && this.passes(this.events[i]!)) this.rows.push(i);
    }
    if (this.query !== "") this.findMatches(start);
    return changed;
  }

  private noteLane(lane: unknown): boolean {
    if (typeof lane !== "string" || this.lanes.includes(lane)) return false;
    this.lanes.splice(this.lanes.length - 1, 0, lane);
    return true;
  }

  get rowCount(): number {
    return this.rows ? this.rows.length : this.events.length;
  }

  eventAt(row: number): number {
    return this.rows ? this.rows[row]! : row;
  }

  /** The row showing event index `ev`, or -1 when filtered out. */
  rowOf(ev: number): number {
    if (ev < 0 || ev >= this.events.length) return -1;
    if (!this.rows) return ev;
    const at = lowerBound(this.rows, ev);
    return this.rows[at] === ev ? at : -1;
  }

  /** Event index of the event with this seq (dense seqs: O(1); otherwise binary search). */
  indexOfSeq(seq: number): number {
    const events = this.events;
    if (events[seq]?.seq === seq) return seq;
    let lo = 0;
    let hi = events.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = events[mid]!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The first row showing an event with seq >= `seq` (events are in seq order); the last row when none does, -1 when there are no rows. */
  rowAtOrAfterSeq(seq: number): number {
    if (this.rowCount === 0) return -1;
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(this.firstRowAtOrAfter(lo), this.rowCount - 1);
  }

  setFilter(filter: Filter): void {
    this.filter = { mailbox: filter.mailbox.trim(), lane: filter.lane };
    this.applyFilter();
  }

  private applyFilter(): void {
    const { mailbox, lane } = this.filter;
    if (mailbox === "" && lane === "") this.rows = undefined;
    else {
      this.rows = [];
      this.events.forEach((e, i) => {
        if (this.passes(e)) this.rows!.push(i);
      });
    }
    this.findMatches(0, true);
  }

  private passes(e: TraceEvent): boolean {
    const { mailbox, lane } = this.filter;
    if (mailbox !== "" && !(typeof e.mailbox === "string" && e.mailbox.toLowerCase().includes(mailbox.toLowerCase()))) return false;
    if (lane !== "" && e.from !== lane && e.to !== lane) return false;
    return true;
  }

  setQuery(query: string): void {
    this.query = query.trim().toLowerCase();
    this.findMatches(0, true);
  }

  /** Recomputes matches from event index `fromEvent` on (appending), or all of them (`restart`). */
  private findMatches(fromEvent: number, restart = false): void {
    if (restart) {
      this.matches = [];
      this.matchCursor = -1;
    }
    if (this.query === "") return;
    const startRow = restart ? 0 : this.firstRowAtOrAfter(fromEvent);
    for (let r = startRow; r < this.rowCount; r++) {
      if (haystack(this.events[this.eventAt(r)]!).includes(this.query)) this.matches.push(r);
    }
  }

  private firstRowAtOrAfter(ev: number): number {
    return this.rows ? lowerBound(this.rows, ev) : ev;
  }

  isMatch(row: number): boolean {
    const at = lowerBound(this.matches, row);
    return this.matches[at] === row;
  }

  /** Selects an event (by index) as the user did; the next match is then searched from there. */
  select(ev: number): void {
    this.selected = ev;
    this.matchCursor = -1;
  }

  /**
   * Moves to the next (+1) or previous (-1) match, from the current match or else from the selection
   * (`inclusive`: the selected row itself counts, for search-as-you-type), wrapping around.
   * Selects it and returns its row, or -1 when nothing matches.
   */
  stepMatch(direction: 1 | -1, inclusive = false): number {
    const n = this.matches.length;
    if (n === 0) return -1;
    if (this.matchCursor < 0) {
      const from = this.selected >= 0 ? this.rowOf(this.selected) : -1;
      if (direction > 0) this.matchCursor = lowerBound(this.matches, inclusive ? from : from + 1) % n;
      else this.matchCursor = (lowerBound(this.matches, inclusive ? from + 1 : from) - 1 + n) % n;
    } else {
      this.matchCursor = (this.matchCursor + direction + n) % n;
    }
    const row = this.matches[this.matchCursor]!;
    this.selected = this.eventAt(row);
    return row;
  }
}

/** First index whose value is >= `value` in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
