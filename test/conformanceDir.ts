// Where the shared analyser conformance cases are: `../shared/conformance` beside the repository (the
// authoritative suite), else `AD_CONFORMANCE_DIR`, else the snapshot checked in under
// test/fixtures/conformance (so a clone on its own still runs every case; a test keeps it in sync).
import { existsSync } from "node:fs";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..");
export const sharedConformanceDir = path.resolve(repoRoot, "..", "shared", "conformance");
export const conformanceSnapshotDir = path.join(__dirname, "fixtures", "conformance");

export const conformanceDir: string = process.env["AD_CONFORMANCE_DIR"] ?? (existsSync(sharedConformanceDir) ? sharedConformanceDir : conformanceSnapshotDir);
