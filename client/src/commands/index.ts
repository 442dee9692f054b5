// The extension's commands (contributes.commands in package.json; a test checks both agree).
import type { Ctx } from "../ctx";
import { newDriver } from "./newDriver";
import { runDriver } from "./run";
import { showStateMachine, showTraffic } from "./views";

/** Command id -> handler factory. */
export const commandFactories = {
  "activeDriver.run": runDriver,
  "activeDriver.showTraffic": showTraffic,
  "activeDriver.showStateMachine": showStateMachine,
  "activeDriver.newDriver": newDriver,
  "activeDriver.restartServer": (ctx: Ctx) => () => ctx.restartServer(),
  "activeDriver.showOutput": (ctx: Ctx) => () => ctx.output.show(true),
} as const;

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commandFactories)) ctx.registerCommand(name, factory);
}
