// One build for every entry point. Node bundles are CommonJS; the TypeScript compiler is bundled
// once (dist/typescript.js) and shared by the server, the CLI and the driver worker.
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

/** Node entry points: [source, output]. */
const nodeEntries = [
  ["runtime/src/index.ts", "runtime/dist/index.js"],
  ["runtime/src/nic/index.ts", "runtime/dist/nic.js"],
  ["runtime/src/workers/index.ts", "runtime/dist/host.js"],
  ["runtime/src/explore/index.ts", "runtime/dist/explore.js"],
  ["runtime/src/workers/worker.ts", "dist/worker.js"],
  ["server/src/server.ts", "dist/server.js"],
  ["cli/src/main.ts", "dist/cli.js"],
  ["client/src/debug/debugAdapter.ts", "dist/debugAdapter.js"],
  ["client/src/debug/worker/debugWorker.ts", "dist/debugWorker.js"],
  ["client/src/extension.ts", "dist/extension.js"],
  ["client/src/tsPlugin/index.ts", "dist/tsPlugin.js"],
];
/** Browser entry points (webviews). */
const browserEntries = [
  ["client/views/traffic/page/main.ts", "dist/webview/traffic.js"],
  ["client/views/machine/page/main.ts", "dist/webview/machine.js"],
];

/** `typescript` resolves to the one shared copy next to the bundle. */
const sharedTypeScript = {
  name: "shared-typescript",
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: "./typescript.js", external: true }));
  },
};

/**
 * esbuild's CommonJS exports are getters (live bindings). A driver reads `Reg.TxPoll`, `Intr.RxOk`...
 * through them once per register access, and those getter calls were ~10% of a NIC run. The runtime
 * exports no binding that changes after load, so its bundles end with a snapshot as plain data.
 */
const plainExports = 'module.exports = Object.defineProperty({ ...module.exports }, "__esModule", { value: true });';

/** Every entry point's source must exist: a moved or misspelt one fails the build, naming it. */
function checkEntries(entries) {
  const missing = entries.filter(([src]) => !fs.existsSync(src));
  if (missing.length === 0) return;
  const list = missing.map(([src, out]) => `  ${src} (for ${out})`).join("\n");
  throw new Error(`esbuild.js: entry point source${missing.length === 1 ? "" : "s"} not found:\n${list}\nFix the entry list at the top of esbuild.js.`);
}

async function main() {
  checkEntries([...nodeEntries, ...browserEntries]);
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: "warning", conditions: ["source"] };
  const contexts = [];
  for (const [src, out] of nodeEntries) {
    const inRuntime = out.startsWith("runtime/");
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: [src],
        outfile: out,
        platform: "node",
        format: "cjs",
        target: "node20",
        external: ["vscode", ...(inRuntime ? ["typescript"] : [])],
        plugins: inRuntime ? [] : [sharedTypeScript],
        ...(inRuntime ? { footer: { js: plainExports } } : {}),
      }),
    );
  }
  for (const [src, out] of browserEntries) {
    contexts.push(await esbuild.context({ ...common, entryPoints: [src], outfile: out, platform: "browser", format: "iife", target: "es2022" }));
  }
  fs.mkdirSync("dist", { recursive: true });
  fs.copyFileSync(require.resolve("typescript/lib/typescript.js"), path.join("dist", "typescript.js"));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  writeScenarioSchema();
}

/** The editor's schema for scenario files (package.json's jsonValidation), from the runtime just built. */
function writeScenarioSchema() {
  const bundle = path.resolve("runtime/dist/nic.js");
  if (!fs.existsSync(bundle)) return;
  delete require.cache[bundle];
  const schema = require(bundle).scenarioJsonSchema();
  fs.mkdirSync(path.join("dist", "schemas"), { recursive: true });
  fs.writeFileSync(path.join("dist", "schemas", "scenario.schema.json"), JSON.stringify(schema, null, 2) + "\n");
}

module.exports = { nodeEntries, browserEntries, checkEntries };

if (require.main === module)
  main().catch((error) => {
    console.error(error instanceof Error && error.message.startsWith("esbuild.js:") ? error.message : error);
    process.exit(1);
  });
