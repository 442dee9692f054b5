// Workaround (remove once runtime/src/host/loader.ts keeps its modules alive): Node keeps the
// source map of a CommonJS module in a cache keyed weakly by the module object, and the driver
// loader drops its module objects after loading. After a garbage collection, which a run held at
// a breakpoint makes likely, the runtime can no longer map wait/send locations back to the .ts
// lines. This worker runs one driver, so it keeps every module compiled in it for its lifetime.
import * as nodeModule from "node:module";

interface CompilingModule {
  _compile(code: string, filename: string): unknown;
}

const kept = new Set<CompilingModule>();

export function keepCompiledModules(): void {
  const proto = (nodeModule as unknown as { Module: { prototype: CompilingModule } }).Module.prototype;
  const compile = proto._compile;
  proto._compile = function (this: CompilingModule, code: string, filename: string): unknown {
    kept.add(this);
    return compile.call(this, code, filename);
  };
}
