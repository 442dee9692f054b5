export const usage = `Usage: active-driver <command> [options]

Commands:
  check [--format text|json|sarif|github] [--watch] PATH...
                                               analyse driver files or folders (--watch: again on each change)
  run DRIVER.ts [--scenario NAME] [--seed N] [--trace FILE.jsonl] [--pcap FILE.pcap] [--json]
                                               run a driver on the simulated RTL8169 NIC
  run --replay FILE.schedule.json [--trace FILE.jsonl] [--json]
                                               replay a schedule that explore wrote
  explore DRIVER.ts [--strategy random|pct|dfs] [--depth D] [--budget N|Ns] [--seed N]
          [--scenario NAME[,NAME]]... [--out DIR] [--json]
                                               systematic exploration: each failure shrunk and
                                               written as a schedule file (--runs N: --budget N)

Exit status: 0 ok, 1 errors found or the driver failed, 2 bad usage or unreadable input.
`;

/** Bad command-line usage: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

/** Splits `--name value` / `--name=value` options from positional arguments. */
export function parseArgs(args: string[], known: Record<string, "string" | "boolean">): { options: Record<string, string | boolean>; positional: string[] } {
  const options: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = known[name];
    if (kind === undefined) throw new UsageError(`unknown option '--${name}'`);
    if (kind === "boolean") {
      options[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === "") throw new UsageError(`option '--${name}' needs a value`);
    options[name] = value;
  }
  return { options, positional };
}
