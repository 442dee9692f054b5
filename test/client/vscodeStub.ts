// A stand-in for the `vscode` module, enough to activate the extension outside VS Code: the parts
// the extension calls are real (commands, configuration, events, messages are recorded); anything
// else is an inert, callable, constructible placeholder. Install it before importing client code.
import { readFileSync } from "node:fs";
import Module from "node:module";

type Listener<T> = (e: T) => unknown;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath, ...parts].join("/"));
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

/** An inert value: any property, call or `new` gives another one. */
function inert(name: string): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, key) =>
      key === "then" ? undefined : key === Symbol.toPrimitive ? () => name : key === "dispose" ? () => undefined : inert(`${name}.${String(key)}`),
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`) as object,
  });
}

/** A test item as the stand-in's TestController makes them. */
export interface StubTestItem {
  id: string;
  label: string;
  uri: Uri | undefined;
  children: TestItemCollection;
  range?: unknown;
  description?: string;
  sortText?: string;
}

/** TestItemCollection: add/get/delete/replace/forEach by id, in insertion order. */
class TestItemCollection {
  private readonly items = new Map<string, StubTestItem>();
  get size(): number {
    return this.items.size;
  }
  add(item: StubTestItem): void {
    this.items.set(item.id, item);
  }
  get(id: string): StubTestItem | undefined {
    return this.items.get(id);
  }
  delete(id: string): void {
    this.items.delete(id);
  }
  replace(items: readonly StubTestItem[]): void {
    // As VS Code: one item per id.
    const ids = items.map((i) => i.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw new Error(`Attempted to insert a duplicate test item ID ${twice}`);
    this.items.clear();
    for (const item of items) this.add(item);
  }
  forEach(fn: (item: StubTestItem) => void): void {
    for (const item of [...this.items.values()]) fn(item);
  }
}

/** What a test run was told, per item id: the last state and its messages. */
export interface StubTestRun {
  states: Map<string, { state: string; messages: unknown[] }>;
  output: string[];
  ended: boolean;
}

export interface StubTestController {
  id: string;
  label: string;
  items: TestItemCollection;
  profiles: { label: string; kind: number; run: (request: unknown, token: unknown) => Promise<void> | void }[];
  runs: StubTestRun[];
  resolveHandler?: (item: StubTestItem | undefined) => Promise<void>;
  createTestItem(id: string, label: string, uri?: Uri): StubTestItem;
}

export interface VscodeRecord {
  commands: Map<string, (...args: unknown[]) => unknown>;
  testControllers: StubTestController[];
  /** The workspace's files for findFiles (absolute paths; read from disk by workspace.fs.readFile). */
  workspaceFiles: string[];
  errors: string[];
  infos: string[];
  debugProviders: { type: string; provider: Record<string, (...args: unknown[]) => unknown> }[];
  adapterFactories: { type: string; factory: Record<string, (...args: unknown[]) => unknown> }[];
  disposed: number;
}

export interface StubOptions {
  trusted: boolean;
  settings?: Record<string, unknown>;
}

export function installVscodeStub(options: StubOptions): VscodeRecord {
  const record: VscodeRecord = {
    commands: new Map(),
    testControllers: [],
    workspaceFiles: [],
    errors: [],
    infos: [],
    debugProviders: [],
    adapterFactories: [],
    disposed: 0,
  };
  const disposable = () => ({ dispose: () => void record.disposed++ });
  const noEvent = () => disposable();
  const settings = options.settings ?? {};
  const api: Record<string, unknown> = {
    EventEmitter,
    Uri,
    Disposable: class {
      constructor(private readonly fn: () => void) {}
      dispose(): void {
        this.fn();
      }
      static from(...ds: { dispose(): void }[]) {
        return { dispose: () => ds.forEach((d) => d.dispose()) };
      }
    },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    ThemeIcon: class {
      constructor(readonly id: string) {}
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    TestRunProfileKind: { Run: 1, Debug: 2, Coverage: 3 },
    TestRunRequest: class {
      constructor(
        readonly include?: readonly StubTestItem[],
        readonly exclude?: readonly StubTestItem[],
      ) {}
    },
    CancellationTokenSource: class {
      private readonly cancelled = new EventEmitter<void>();
      readonly token = { isCancellationRequested: false, onCancellationRequested: this.cancelled.event };
      cancel(): void {
        this.token.isCancellationRequested = true;
        this.cancelled.fire();
      }
      dispose(): void {
        this.cancelled.dispose();
      }
    },
    TestMessage: class {
      location: unknown;
      constructor(readonly message: string) {}
    },
    Position: class {
      constructor(
        readonly line: number,
        readonly character: number,
      ) {}
    },
    Range: class {
      constructor(...args: number[]) {
        Object.assign(this, { args });
      }
    },
    Location: class {
      constructor(
        readonly uri: Uri,
        readonly range: unknown,
      ) {}
    },
    tests: {
      createTestController: (id: string, label: string): StubTestController => {
        const controller: StubTestController = {
          id,
          label,
          items: new TestItemCollection(),
          profiles: [],
          runs: [],
          createTestItem: (itemId, itemLabel, uri) => {
            // As VS Code: NUL separates the ids of a test's ancestors.
            if (itemId.includes("\u0000")) throw new Error(`Test IDs may not include the ${JSON.stringify(itemId)} symbol`);
            return { id: itemId, label: itemLabel, uri, children: new TestItemCollection() };
          },
        };
        Object.assign(controller, {
          createRunProfile: (profileLabel: string, kind: number, run: StubTestController["profiles"][number]["run"]) => {
            controller.profiles.push({ label: profileLabel, kind, run });
            return disposable();
          },
          createTestRun: () => {
            const run: StubTestRun = { states: new Map(), output: [], ended: false };
            controller.runs.push(run);
            const mark = (state: string) => (item: StubTestItem, messages?: unknown) =>
              run.states.set(item.id, { state, messages: messages === undefined ? [] : Array.isArray(messages) ? messages : [messages] });
            return {
              enqueued: mark("enqueued"),
              started: mark("started"),
              skipped: mark("skipped"),
              passed: mark("passed"),
              failed: mark("failed"),
              errored: mark("errored"),
              appendOutput: (text: string) => void run.output.push(text),
              end: () => void (run.ended = true),
            };
          },
          dispose: () => void record.disposed++,
        });
        record.testControllers.push(controller);
        return controller;
      },
    },
    commands: {
      registerCommand: (name: string, fn: (...args: unknown[]) => unknown) => {
        if (record.commands.has(name)) throw new Error(`command ${name} registered twice`);
        record.commands.set(name, fn);
        return { dispose: () => record.commands.delete(name) };
      },
      executeCommand: async (name: string, ...args: unknown[]) => record.commands.get(name)?.(...args),
    },
    window: {
      createOutputChannel: () => ({
        info: () => {},
        warn: () => {},
        error: () => {},
        debug: () => {},
        trace: () => {},
        append: () => {},
        appendLine: () => {},
        show: () => {},
        hide: () => {},
        clear: () => {},
        dispose: () => void record.disposed++,
        onDidChangeLogLevel: noEvent,
        logLevel: 2,
      }),
      createStatusBarItem: () => ({ show: () => {}, hide: () => {}, dispose: () => void record.disposed++ }),
      showErrorMessage: async (message: string) => {
        record.errors.push(message);
        return undefined;
      },
      showInformationMessage: async (message: string) => {
        record.infos.push(message);
        return undefined;
      },
      showWarningMessage: async () => undefined,
      withProgress: async (_options: unknown, task: (progress: { report(): void }, token: unknown) => Promise<unknown>) =>
        task({ report: () => {} }, { isCancellationRequested: false, onCancellationRequested: noEvent }),
      onDidChangeActiveTextEditor: noEvent,
      onDidCloseTerminal: noEvent,
      activeTextEditor: undefined,
      visibleTextEditors: [],
      createWebviewPanel: () => inert("WebviewPanel"),
      registerWebviewPanelSerializer: () => disposable(),
    },
    workspace: {
      get isTrusted() {
        return options.trusted;
      },
      workspaceFolders: undefined,
      getConfiguration: (section: string) => ({
        get: <T>(key: string, fallback: T): T => (`${section}.${key}` in settings ? (settings[`${section}.${key}`] as T) : fallback),
      }),
      onDidChangeConfiguration: noEvent,
      onDidChangeTextDocument: noEvent,
      // Only the two globs the Test Explorer asks for: TypeScript files and scenario JSON files.
      findFiles: async (glob: string) =>
        record.workspaceFiles.filter((f) => (glob.endsWith(".ts") ? f.endsWith(".ts") : f.endsWith(".json"))).map((f) => Uri.file(f)),
      fs: { readFile: async (uri: Uri) => new Uint8Array(readFileSync(uri.fsPath)) },
      asRelativePath: (target: Uri | string) => (typeof target === "string" ? target : target.fsPath),
      getWorkspaceFolder: () => undefined,
      createFileSystemWatcher: () => ({ dispose: () => void record.disposed++, onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent }),
    },
    languages: { onDidChangeDiagnostics: noEvent, getDiagnostics: () => [] },
    debug: {
      registerDebugConfigurationProvider: (type: string, provider: Record<string, (...args: unknown[]) => unknown>) => {
        record.debugProviders.push({ type, provider });
        return disposable();
      },
      registerDebugAdapterDescriptorFactory: (type: string, factory: Record<string, (...args: unknown[]) => unknown>) => {
        record.adapterFactories.push({ type, factory });
        return disposable();
      },
      onDidStartDebugSession: noEvent,
      onDidReceiveDebugSessionCustomEvent: noEvent,
    },
  };
  const vscode = new Proxy(api, { get: (t, key: string) => (key in t ? t[key] : inert(`vscode.${key}`)) });
  const resolver = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string; _cache: Record<string, unknown> };
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? "vscode-stub" : original.call(this, request, ...rest);
  };
  resolver._cache["vscode-stub"] = { id: "vscode-stub", filename: "vscode-stub", loaded: true, exports: vscode } as unknown;
  return record;
}
