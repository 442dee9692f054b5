// The server's settings: from initializationOptions (what the extension passes at start) and
// workspace/didChangeConfiguration (`activeDriver.analysis.*`). The base of the links from
// diagnostic codes is the server's own (its README): never a setting, since workspace settings
// come from the repository opened and could point every code's link elsewhere.
export interface ServerSettings {
  /** Time the analysis may spend on one file after an edit (activeDriver.analysis.timeBudgetMs). */
  timeBudgetMs: number;
  /** Base of the links from diagnostic codes to the README's sections (`#ad001` is appended). */
  docsBaseUrl?: string;
}

export const defaultSettings: ServerSettings = { timeBudgetMs: 500 };

function clampBudget(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.min(10_000, Math.max(10, Math.round(value))) : fallback;
}

/** Settings from `{ analysis: { timeBudgetMs } }` (missing or malformed values keep `base`; `docsBaseUrl` always comes from `base`). */
export function readSettings(options: unknown, base: ServerSettings = defaultSettings): ServerSettings {
  const o = (typeof options === "object" && options !== null ? options : {}) as { analysis?: { timeBudgetMs?: unknown } };
  return { ...base, timeBudgetMs: clampBudget(o.analysis?.timeBudgetMs, base.timeBudgetMs) };
}
