// Document symbols: each protocol (its messages, and its states with their transitions as children)
// and each driver (threads with their waits, or a passive driver's entry points).
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { DriverModel, ProtocolModel, Range, WaitSiteModel } from "../analysis/types";
import { comparePositions, rangeInside, toRange, type FeatureInput } from "./context";

/** A symbol whose selection range lies in its range, as clients require. */
function symbol(name: string, kind: SymbolKind, range: Range, selection: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const selectionRange = rangeInside(selection, range) ? selection : range;
  const s: DocumentSymbol = { name: name === "" ? "?" : name, kind, range: toRange(range), selectionRange: toRange(selectionRange) };
  if (detail !== undefined) s.detail = detail;
  if (children !== undefined && children.length > 0) s.children = children;
  return s;
}

function protocolSymbol(protocol: ProtocolModel): DocumentSymbol {
  const messages = protocol.messages.map((m) =>
    symbol(
      m.name,
      SymbolKind.Field,
      m.range,
      m.nameRange,
      m.direction === "in" ? (m.reply !== undefined ? `in · reply ${m.reply}` : "in") : m.direction === "out" ? "out" : undefined,
    ),
  );
  const states = protocol.states.map((s) => {
    const transitions = s.transitions.map((t) => symbol(`${t.message} → ${t.target}`, SymbolKind.Event, t.range, t.range));
    const detail = [s.name === protocol.initial ? "initial" : undefined, s.reachable ? undefined : "unreachable"].filter((d) => d !== undefined).join(" · ");
    return symbol(s.name, SymbolKind.EnumMember, s.range, s.nameRange, detail === "" ? undefined : detail, transitions);
  });
  return symbol(protocol.name ?? "protocol", SymbolKind.Interface, protocol.range, protocol.range, "protocol", [...messages, ...states]);
}

function waitName(wait: WaitSiteModel): string {
  if (wait.sleep) return "sleep(...)";
  return `wait(${wait.mailboxes.map((m) => m.name).join(", ")})`;
}

function waitDetail(wait: WaitSiteModel): string {
  if (wait.kind === "inner") return "inner wait";
  if (wait.states.length === 0) return "state unknown";
  return wait.states.map((s) => `'${s}'`).join(", ");
}

function driverSymbol(fileName: string, driver: DriverModel): DocumentSymbol {
  const name = `${driver.kind} driver${driver.protocol?.name !== undefined ? ` · ${driver.protocol.name}` : ""}`;
  const children: DocumentSymbol[] = [];
  if (driver.kind === "passive") {
    for (const e of driver.entryPoints) children.push(symbol(`${e.name}()`, SymbolKind.Method, e.range, e.range, "entry point"));
  } else {
    // One symbol per call site of each thread (a helper called from two states has two models).
    const seen = new Set<string>();
    for (const thread of driver.threads) {
      if (thread.file !== fileName) continue;
      const waits: DocumentSymbol[] = [];
      for (const wait of driver.waits) {
        const key = `${wait.range.start.line}:${wait.range.start.character}`;
        if (wait.thread !== thread.name || wait.file !== fileName || seen.has(key)) continue;
        seen.add(key);
        waits.push(symbol(waitName(wait), SymbolKind.Event, wait.range, wait.range, waitDetail(wait)));
      }
      waits.sort((a, b) => comparePositions(a.range.start, b.range.start));
      children.push(symbol(thread.name, SymbolKind.Function, thread.range, thread.range, "thread", waits));
    }
  }
  return symbol(name, SymbolKind.Class, driver.range, driver.range, driver.protocolName, children);
}

export function documentSymbols(input: FeatureInput): DocumentSymbol[] {
  const { result } = input;
  const symbols = [
    ...result.protocols.filter((p) => p.file === result.fileName).map(protocolSymbol),
    ...result.drivers.map((d) => driverSymbol(result.fileName, d)),
  ];
  return symbols.sort((a, b) => comparePositions(a.range.start, b.range.start));
}
