// The `active-driver` package: Driver API v1 (docs/contracts.md, "Driver API v1").
export { defineProtocol, msg } from "./protocol";
export { defineDriver, definePassiveDriver } from "./define";
export { launch } from "./launch";
export { DriverError } from "./errors";
export type * from "./types";
export type { TraceEvent, TraceKind, Lifeline, SourceLocation } from "./trace";
export type { DeviceClass, DeviceHost, DeviceModel, DmaRegion, TimerHandle } from "./device";
