// The fixture drivers, loaded at run time: test/tsconfig.json leaves fixtures/ out of the
// type-checked program (they are driver sources, like the users' own).
import * as path from "node:path";
import type { AnyDriverDefinition } from "active-driver";

function load(name: string): AnyDriverDefinition {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(__dirname, "fixtures", name)) as { default: AnyDriverDefinition }).default;
}

/** A complete active driver: rings, interrupts, txTimeout, suspend/resume, unplug. */
export const ringDriver = load("ring-driver");
/** The ring driver, dropping every 10th frame the OS hands it. */
export const lossyDriver = load("lossy-driver");
/** The paper's Figure 4 over the contract's four-request protocol: never programs a TX ring. */
export const fig4Driver = load("fig4-driver");
