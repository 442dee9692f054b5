// A small CommonJS loader for drivers written in TypeScript: each file is transpiled (transpile.ts)
// and compiled as a Node module so its inline source map applies to stack traces. `require` maps
// "active-driver" and "active-driver/nic" to the runtime already loaded in this process (the same
// module objects, so protocols and device classes are identical), relative specifiers to the
// driver's other files, and everything else to Node's own resolution from the driver's folder.
import { builtinModules, createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as runtimeApi from "../index";
import * as nicApi from "../nic/index";
import { DriverLoadError, locateInStack, positionOf } from "./errors";
import { transpileFile, typescript, type Transpiled } from "./transpile";

// `Module` is not in @types/node's public surface with `_compile`; this is the part we use.
interface NodeModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
  require(id: string): unknown;
  _compile(code: string, filename: string): void;
}
interface NodeModuleClass {
  new (id: string, parent?: unknown): NodeModule;
  _nodeModulePaths(dir: string): string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require("node:module") as NodeModuleClass;

export interface LoadOptions {
  /** Bare specifiers the driver's imports resolve to. Defaults to this process's runtime. */
  modules?: Readonly<Record<string, unknown>>;
  /** Called before each driver file is transpiled and evaluated (the worker beats its heartbeat here). */
  onFile?: (file: string) => void;
  /** Called with true before the compiler transpiles a file and false after: host work, not the driver's (the watchdog pauses). */
  onTranspile?: (busy: boolean) => void;
}

export interface LoadedDriver {
  /** Absolute path of the entry file. */
  entry: string;
  /** Its default export: the value of `defineDriver(...)` or `definePassiveDriver(...)`. */
  driver: unknown;
  /** All of the entry module's exports. */
  exports: Record<string, unknown>;
  /** Every driver file evaluated, in load order (entry first). */
  files: string[];
}

/**
 * The runtime of this process as plain objects. A bundled namespace reads every export through a
 * getter, and a driver reads `Reg.IntrStatus` or `Desc.OWN` per register access: a snapshot makes
 * those plain property loads (nothing the runtime exports is reassigned after load).
 */
const driverModules: Readonly<Record<string, unknown>> = Object.freeze({
  "active-driver": plainModule(runtimeApi),
  "active-driver/nic": plainModule(nicApi),
});

function plainModule(namespace: object): object {
  return Object.freeze(Object.defineProperty({ ...namespace }, "__esModule", { value: true }));
}

/** The modules a driver's bare imports get by default: the runtime of this process. */
export function defaultModules(): Record<string, unknown> {
  return { ...driverModules };
}

const probeSuffixes = ["", ".ts", ".tsx", ".js", ".cjs", ".json", "/index.ts", "/index.js"];
const sourceExtensions = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".cjs", ".mjs", ".json"]);

/** Resolves a relative specifier as the driver's author meant it: `./x`, `./x.ts`, `./x.js` for x.ts, `./dir`. */
export function resolveDriverFile(specifier: string, fromDir: string): string | undefined {
  const base = path.resolve(fromDir, specifier);
  const candidates = probeSuffixes.map((s) => base + s);
  // NodeNext style: `./protocol.js` names `protocol.ts`.
  const ext = path.extname(base);
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") {
    const stem = base.slice(0, -ext.length);
    candidates.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.${ext === ".mjs" ? "mts" : ext === ".cjs" ? "cts" : "ts"}`);
  }
  for (const candidate of candidates) {
    if (!sourceExtensions.has(path.extname(candidate))) continue;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Loads a driver from its entry file. Each call evaluates the driver's files afresh (a new module
 * registry), while transpiled output is reused from the cache for unchanged files.
 */
export function loadDriver(entryPath: string, options: LoadOptions = {}): LoadedDriver {
  // Stack traces of the transpiled code map back to the .ts lines (also what trace `loc`s use).
  process.setSourceMapsEnabled(true);
  const entry = path.resolve(entryPath);
  const modules = options.modules ?? defaultModules();
  const registry = new Map<string, NodeModule>();
  const files: string[] = [];

  const evaluate = (file: string): NodeModule => {
    const cached = registry.get(file);
    if (cached !== undefined) return cached;
    options.onFile?.(file);
    options.onTranspile?.(true);
    let transpiled: Transpiled;
    try {
      transpiled = transpileFile(file);
    } finally {
      options.onTranspile?.(false);
    }
    const { code, source } = transpiled;
    const mod = new Module(file);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(path.dirname(file));
    const nodeRequire = createRequire(file);
    mod.require = (specifier: string) => requireFrom(file, source, specifier, nodeRequire);
    registry.set(file, mod); // before evaluating, so import cycles see partial exports
    files.push(file);
    mod._compile(code, file);
    mod.loaded = true;
    return mod;
  };

  const requireFrom = (importer: string, source: string, specifier: string, nodeRequire: NodeJS.Require): unknown => {
    if (Object.prototype.hasOwnProperty.call(modules, specifier)) return modules[specifier];
    if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
      const file = resolveDriverFile(specifier, path.dirname(importer));
      if (file === undefined) throw importError(importer, source, specifier, "cannot find module");
      return evaluate(file).exports;
    }
    if (specifier.startsWith("node:") || builtinModules.includes(specifier)) return nodeRequire(specifier);
    if (specifier === "active-driver" || specifier.startsWith("active-driver/")) {
      throw importError(importer, source, specifier, `'${specifier}' is not available to drivers (use "active-driver" or "active-driver/nic")`);
    }
    try {
      return nodeRequire(specifier);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw importError(importer, source, specifier, "cannot find module");
      throw error;
    }
  };

  if (resolveDriverFile(entry, path.dirname(entry)) !== entry) {
    throw new DriverLoadError(fs.existsSync(entry) ? "not a driver source file (.ts or .js)" : "no such file", { file: entry });
  }
  let exports: Record<string, unknown> | undefined;
  try {
    exports = evaluate(entry).exports as Record<string, unknown> | undefined;
  } catch (error) {
    if (error instanceof DriverLoadError) throw error;
    // The driver's top-level code threw (a bad protocol spec, a typo at module scope...).
    const loc = locateInStack((error as Error | undefined)?.stack, new Set(files));
    const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
    throw new DriverLoadError(`error while loading the driver: ${text}`, loc ?? { file: files[files.length - 1] ?? entry }, { cause: error });
  }
  const driver = exports?.["default"];
  if (!isDriverDefinition(driver)) {
    throw new DriverLoadError(
      driver === undefined
        ? "the module has no default export; a driver module ends with `export default defineDriver(...)` (or definePassiveDriver)"
        : `the default export is not a driver (got ${describe(driver)}); use \`export default defineDriver(...)\``,
      { file: entry },
    );
  }
  // Node keeps a CommonJS module's source map only while the module object lives, and the driver's
  // functions do not reference it: tie the modules to the driver so .ts locations survive a GC.
  compiledModules.set(driver as object, [...registry.values()]);
  return { entry, driver, exports: exports ?? {}, files };
}

/** Driver definition -> the modules compiled for it (kept alive as long as the driver is). */
const compiledModules = new WeakMap<object, NodeModule[]>();

/** A value made by defineDriver/definePassiveDriver: `kind` "active" or "passive" and a protocol. */
function isDriverDefinition(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const { kind, protocol } = value as { kind?: unknown; protocol?: unknown };
  return (kind === "active" || kind === "passive") && typeof protocol === "object" && protocol !== null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}`;
  return typeof value;
}

/** An error for `specifier` imported by `importer`, placed at the import's string literal. */
function importError(importer: string, source: string, specifier: string, reason: string): DriverLoadError {
  const imported = typescript()
    .preProcessFile(source, true, true)
    .importedFiles.find((f) => f.fileName === specifier);
  const where = imported === undefined ? { file: importer } : { file: importer, ...positionOf(source, imported.pos) };
  return new DriverLoadError(`${reason} '${specifier}'`, where);
}
