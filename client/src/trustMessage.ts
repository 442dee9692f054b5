// The text of a Restricted Mode refusal (pure, so tests read the exact wording).

/** Says what was refused and why. */
export function refusalMessage(action: string): string {
  return `Active Drivers: cannot ${action} in Restricted Mode. Running a driver executes code from this workspace (the driver, its imports and scenario files); trust the workspace to allow it. Analysis and diagnostics keep working.`;
}
