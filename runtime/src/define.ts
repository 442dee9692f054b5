// defineDriver and definePassiveDriver: they only package the driver for launch() and the analyser.
import type { AnyProtocol, DriverConfig, DriverContext, DriverDefinition, PassiveDriverDefinition, PassiveEntryPoints, PassiveKernel } from "./types";

function checkConfig(fn: string, config: DriverConfig<AnyProtocol>): void {
  if (config === null || typeof config !== "object" || typeof config.protocol !== "object" || config.protocol === null) {
    throw new TypeError(`${fn}: expected { protocol, device? } as the first argument`);
  }
  if (!Array.isArray(config.protocol.incoming)) throw new TypeError(`${fn}: protocol must come from defineProtocol()`);
  if (config.device !== undefined && typeof config.device !== "function") throw new TypeError(`${fn}: device must be a device class`);
}

/** An active driver: `main(d)` is the initial thread of its cooperative domain. */
export function defineDriver<P extends AnyProtocol>(config: DriverConfig<P>, main: (d: DriverContext<P>) => Promise<void> | void): DriverDefinition<P> {
  checkConfig("defineDriver", config);
  if (typeof main !== "function") throw new TypeError("defineDriver: expected the driver's main function as the second argument");
  return Object.freeze({ kind: "active", protocol: config.protocol, device: config.device, main });
}

/** A passive driver: `setup(k)` returns its entry points (one per incoming message, plus `irq`). */
export function definePassiveDriver<P extends AnyProtocol>(
  config: DriverConfig<P>,
  setup: (k: PassiveKernel<P>) => PassiveEntryPoints<P>,
): PassiveDriverDefinition<P> {
  checkConfig("definePassiveDriver", config);
  if (typeof setup !== "function") throw new TypeError("definePassiveDriver: expected (k) => entryPoints as the second argument");
  return Object.freeze({ kind: "passive", protocol: config.protocol, device: config.device, setup });
}
