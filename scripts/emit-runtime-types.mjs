// Emits the declarations of the `active-driver` runtime (runtime/src) into dist/types, for the
// TypeScript server plugin that gives drivers their types with no setup (client/src/tsPlugin).
// Entry points: dist/types/index.d.ts ("active-driver") and dist/types/nic.d.ts ("active-driver/nic").
// Usage: node scripts/emit-runtime-types.mjs [--out DIR]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outFlag = args.indexOf("--out");
const outDir = resolve(outFlag >= 0 && args[outFlag + 1] ? args[outFlag + 1] : join(root, "dist", "types"));
const sourceDir = join(root, "runtime", "src");

/** [entry source, public declaration file, what it re-exports]: the two module specifiers drivers use. */
const entries = [
  [join(sourceDir, "index.ts"), "index.d.ts", null],
  [join(sourceDir, "nic", "index.ts"), "nic.d.ts", "./nic/index"],
];

const options = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  customConditions: ["source"],
  lib: ["lib.es2022.d.ts"],
  types: ["node"],
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  declaration: true,
  emitDeclarationOnly: true,
  stripInternal: true,
  rootDir: sourceDir,
  outDir,
};

function format(diagnostic) {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1}: TS${diagnostic.code}: ${text}`;
}

const program = ts.createProgram({ rootNames: entries.map(([source]) => source), options });
const missing = entries.filter(([source]) => program.getSourceFile(source) === undefined).map(([source]) => relative(root, source));
if (missing.length > 0) {
  console.error(`emit-runtime-types: cannot read ${missing.join(", ")}`);
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const emitted = program.emit();
// Declaration diagnostics mean a public type cannot be written down: the plugin would serve a broken file.
const problems = [...program.getSyntacticDiagnostics(), ...program.getDeclarationDiagnostics(), ...emitted.diagnostics];
for (const d of problems) console.error(`emit-runtime-types: ${format(d)}`);
if (emitted.emitSkipped || problems.length > 0) process.exit(1);

const checker = program.getTypeChecker();
for (const [source, file, reexport] of entries) {
  if (reexport === null) continue;
  // `export *` leaves out a default export: name it too when the module has one.
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(source));
  const hasDefault = moduleSymbol !== undefined && checker.getExportsOfModule(moduleSymbol).some((s) => s.escapedName === "default");
  writeFileSync(join(outDir, file), `export * from "${reexport}";\n${hasDefault ? `export { default } from "${reexport}";\n` : ""}`);
}
console.log(`emit-runtime-types: declarations of runtime/src in ${outDir.startsWith(root) ? relative(root, outDir) : outDir}`);
