// Errors the runtime reports: each names the driver's file and line where it knows them.
import type { SourceLocation } from "./trace";
import { formatLocation, locationOfError } from "./where";

/** The driver failed: it threw, ran away without waiting, misused the API, or overflowed a mailbox. */
export class DriverError extends Error {
  override readonly name = "DriverError";
  constructor(
    message: string,
    /** The driver thread (active) or entry point (passive) involved. */
    readonly thread: string | undefined,
    /** Where in the driver, when known. */
    readonly loc: SourceLocation | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps what a driver thread threw so the message says which thread and where. */
export function driverFailure(what: string, cause: unknown): DriverError {
  if (cause instanceof DriverError) return cause;
  const loc = locationOfError(cause);
  const text = cause instanceof Error ? `${cause.name === "Error" ? "" : cause.name + ": "}${cause.message}` : String(cause);
  const error = new DriverError(`${what} failed at ${formatLocation(loc)}: ${text}`, what, loc, { cause });
  if (cause instanceof Error && cause.stack !== undefined) {
    const frames = cause.stack.split("\n").filter((l) => l.trimStart().startsWith("at "));
    error.stack = `${error.name}: ${error.message}\n${frames.join("\n")}`;
  }
  return error;
}

/** A misuse of the driver API (wait on an outgoing mailbox, two waiters, ...), thrown into the driver. */
export function usageError(message: string, thread: string | undefined, loc: SourceLocation | undefined): DriverError {
  return new DriverError(loc === undefined ? message : `${message} (at ${formatLocation(loc)})`, thread, loc);
}
