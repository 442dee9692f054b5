// TypeScript server plugin "active-driver-ts-plugin": types with no setup. In a folder where
// `active-driver` is not installed, `import ... from "active-driver"` (and "active-driver/nic")
// resolve to the declarations bundled with the extension (dist/types), so the editor shows no
// "Cannot find module" error and completes `d.`, `d.mb.` and `r.name`. Normal resolution runs first:
// where the workspace has its own `active-driver`, that one wins.
//
// Runs inside tsserver (not the extension host): no `vscode` import, and `typescript` only as the
// instance tsserver passes in (the workspace's version may differ from ours).
import * as path from "node:path";
import type * as ts from "typescript";
import { installResolutionFallback, type BundledTypes } from "./resolution";

type TypeScript = typeof ts;

/** `plugins` entry options (tsconfig) or `configurePlugin` payload; all optional. */
interface PluginConfig {
  /** Folder holding index.d.ts and nic.d.ts; defaults to dist/types beside this bundle. */
  typesDirectory?: string;
}

function defaultTypesDirectory(): string {
  // Bundled as dist/tsPlugin.js, so the declarations are in dist/types.
  return path.join(__dirname, "types");
}

function init(modules: { typescript: TypeScript }): ts.server.PluginModule {
  const typescript = modules.typescript;
  let typesDirectory = defaultTypesDirectory();

  function create(info: ts.server.PluginCreateInfo): ts.LanguageService {
    const config = (info.config ?? {}) as PluginConfig;
    if (typeof config.typesDirectory === "string" && config.typesDirectory !== "") typesDirectory = config.typesDirectory;
    const log = (text: string): void => info.project?.projectService?.logger?.info(`[active-driver-ts-plugin] ${text}`);
    const bundled: BundledTypes = { typescript, typesDirectory: () => typesDirectory, log };
    installResolutionFallback(info.languageServiceHost, bundled);
    log(`installed; bundled declarations in ${typesDirectory}`);
    return info.languageService;
  }

  function onConfigurationChanged(config: PluginConfig): void {
    if (typeof config.typesDirectory === "string" && config.typesDirectory !== "") typesDirectory = config.typesDirectory;
  }

  return { create, onConfigurationChanged };
}

export = init;
