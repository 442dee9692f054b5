#!/usr/bin/env node
// `npx active-driver`: the bundled CLI (built by `npm run build`).
try {
  require("../../dist/cli.js");
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("dist/cli.js")) {
    console.error("active-driver: the CLI is not built yet; run `npm run build` in the repository root first.");
    process.exit(2);
  }
  throw error;
}
