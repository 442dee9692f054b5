// The resolution fallback of the TypeScript server plugin (see index.ts): pure over the `typescript`
// instance it is given, so tests drive it with a plain LanguageService and no tsserver.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";

export interface BundledTypes {
  typescript: typeof ts;
  /** Folder holding the bundled declarations (dist/types). */
  typesDirectory(): string;
  log(text: string): void;
}

/** Module specifiers the plugin can answer, and their declaration file under the types folder. */
export const bundledModules: Readonly<Record<string, string>> = {
  "active-driver": "index.d.ts",
  "active-driver/nic": "nic.d.ts",
};

/** The bundled declaration file for `specifier`, or undefined when it is not ours or not there. */
export function bundledModuleFile(bundled: BundledTypes, specifier: string): ts.ResolvedModuleFull | undefined {
  const file = bundledModules[specifier];
  if (file === undefined) return undefined;
  const resolvedFileName = path.join(bundled.typesDirectory(), file).split(path.sep).join("/");
  if (!fs.existsSync(resolvedFileName)) {
    bundled.log(`no bundled declarations at ${resolvedFileName} for '${specifier}'`);
    return undefined;
  }
  return { resolvedFileName, extension: bundled.typescript.Extension.Dts, isExternalLibraryImport: true };
}

/**
 * Wraps the host's module resolution: whatever the host resolves stays as it is; an unresolved
 * `active-driver` or `active-driver/nic` becomes the bundled declaration file. Exported for tests.
 */
export function installResolutionFallback(host: ts.LanguageServiceHost, bundled: BundledTypes): void {
  const ts = bundled.typescript;
  const moduleResolutionCache = ts.createModuleResolutionCache(
    host.getCurrentDirectory(),
    (f) => (host.useCaseSensitiveFileNames?.() ? f : f.toLowerCase()),
    host.getCompilationSettings(),
  );

  if (host.resolveModuleNameLiterals || !host.resolveModuleNames) {
    // TypeScript 5+ (tsserver's Project has this); or a host with no custom resolution at all.
    const original = host.resolveModuleNameLiterals?.bind(host);
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames) => {
      const results = original
        ? original(literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames)
        : literals.map((literal) =>
            ts.resolveModuleName(
              literal.text,
              containingFile,
              options,
              moduleResolutionHost(host),
              moduleResolutionCache,
              redirectedReference,
              ts.getModeForUsageLocation(containingSourceFile, literal, options),
            ),
          );
      return results.map((result, i) => {
        if (result.resolvedModule !== undefined) return result;
        const resolvedModule = bundledModuleFile(bundled, literals[i]!.text);
        // Keep the rest of the result (failed lookups): tsserver watches those locations, so
        // installing `active-driver` in the workspace later switches back to the real package.
        return resolvedModule === undefined ? result : { ...result, resolvedModule };
      });
    };
  } else {
    // TypeScript 4.x hosts.
    const original = host.resolveModuleNames.bind(host);
    host.resolveModuleNames = (moduleNames, containingFile, reusedNames, redirectedReference, options, containingSourceFile) =>
      original(moduleNames, containingFile, reusedNames, redirectedReference, options, containingSourceFile).map(
        (resolved, i) => resolved ?? bundledModuleFile(bundled, moduleNames[i]!),
      );
  }
}

function moduleResolutionHost(host: ts.LanguageServiceHost): ts.ModuleResolutionHost {
  return {
    fileExists: (f) => host.fileExists(f),
    readFile: (f) => host.readFile(f),
    directoryExists: host.directoryExists ? (d) => host.directoryExists!(d) : undefined,
    getDirectories: host.getDirectories ? (d) => host.getDirectories!(d) : undefined,
    realpath: host.realpath ? (p) => host.realpath!(p) : undefined,
    useCaseSensitiveFileNames: host.useCaseSensitiveFileNames?.(),
  };
}
