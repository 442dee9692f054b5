// launch(): starts a domain for an active or passive driver and returns its instance.
import { createDeviceHost, InertDevice } from "./bus";
import { Core } from "./core";
import { Domain } from "./domain";
import type { Engine } from "./engine";
import { Instance } from "./instance";
import { PassiveRunner } from "./passive";
import type { AnyDriverDefinition, DriverInstance, LaunchOptions, ProtocolOfDriver } from "./types";

function isDefinition(x: unknown): x is AnyDriverDefinition {
  const kind = (x as { kind?: unknown } | null)?.kind;
  return (kind === "active" || kind === "passive") && typeof (x as { protocol?: unknown }).protocol === "object";
}

/**
 * Starts a driver in its own domain with its device attached. Accepts the driver module (its
 * `default` export is the definition) or the definition itself. The initial thread starts on the
 * first turn of the microtask queue, so OS calls made right after launch are queued in order.
 */
export function launch<D extends AnyDriverDefinition>(driver: D | { readonly default: D }, options: LaunchOptions = {}): DriverInstance<ProtocolOfDriver<D>> {
  const definition = isDefinition(driver)
    ? driver
    : isDefinition((driver as { default?: unknown } | null)?.default)
      ? (driver as { default: D }).default
      : undefined;
  if (definition === undefined) {
    throw new TypeError("launch: expected a driver module whose default export comes from defineDriver/definePassiveDriver, or such a definition");
  }
  const core = new Core(definition.protocol, options);
  core.device = options.device ?? (definition.device !== undefined ? new definition.device() : new InertDevice());
  const engine: Engine = definition.kind === "active" ? new Domain(core, definition) : new PassiveRunner(core, definition);
  core.engine = engine;
  core.device.attach(createDeviceHost(core));
  engine.start();
  return new Instance(core, engine) as unknown as DriverInstance<ProtocolOfDriver<D>>;
}
