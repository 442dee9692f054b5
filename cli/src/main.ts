// The `active-driver` command line: a thin host over runtime/ and server/.
// Exit codes: 0 ok, 1 findings or driver failure, 2 bad usage or unreadable input.
import { endDriverChildrenAtExit } from "./children";
import { usage, UsageError } from "./usage";

type Command = (args: string[]) => Promise<number>;

// Loaded on demand: `check` brings the TypeScript compiler, which `run` does not need up front.
const commands: Record<string, () => Promise<Command>> = {
  check: async () => (await import("./check.js")).check,
  run: async () => (await import("./run.js")).run,
  explore: async () => (await import("./explore.js")).explore,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    process.stdout.write("active-driver 0.1.0\n");
    return 0;
  }
  const load = commands[name];
  if (load === undefined) throw new UsageError(`unknown command '${name}'`);
  return (await load())(rest);
}

endDriverChildrenAtExit();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`active-driver: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`active-driver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    }
  },
);
