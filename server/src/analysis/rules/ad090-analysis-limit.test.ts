// AD090: input over a limit of the analysis. An import not followed (not a regular file, over
// 4 MB): a warning on the import; a file nested past the analyser's depth: an error where the
// nesting passes the limit.
import { ruleTester } from "../../../../test/analysis/ruleTester";

const driverImporting = (specifier: string, mark = true): string => `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { reset } from ${mark ? `[|"${specifier}"|]` : `"${specifier}"`};

export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open, d.mb.txTimeout);
  reset(d);
});
`;

/** `depth` nested parenthesised expressions; the one at `mark` (0-based) opens the marked range. */
function nested(depth: number, mark: number): string {
  let text = "export const x = ";
  for (let i = 0; i < depth; i++) text += i === mark ? "[|(|]" : "(";
  return `${text}1${")".repeat(depth)};\n`;
}

ruleTester("AD090", {
  valid: [
    { name: "an import of a regular file", code: driverImporting("./chip", false), files: { "chip.ts": "export function reset(d: unknown) {}\n" } },
    { name: "an import that does not exist is no limit", code: driverImporting("./missing", false) },
    { name: "deep but under the limit", code: nested(200, -1) },
  ],
  invalid: [
    {
      name: "an import of a file the host refuses (a FIFO, a file over 4 MB)",
      code: driverImporting("./chip"),
      unreadable: { "chip.ts": "is a FIFO, not a regular file" },
      errors: [
        {
          message: "'./chip' is not analysed (the file is a FIFO, not a regular file): what it defines is not followed",
          data: { kind: "analysisLimit", limit: "import" },
        },
      ],
    },
    {
      name: "through an imported file: the import here that leads to it",
      code: driverImporting("./chip"),
      files: { "chip.ts": 'export { reset } from "./registers";\n' },
      unreadable: { "registers.ts": "is 5.0 MB, over the 4.0 MB limit" },
      errors: [
        {
          message:
            "'./chip' imports './registers' (in chip.ts), which is not analysed (the file is 5.0 MB, over the 4.0 MB limit): what it defines is not followed",
        },
      ],
    },
    {
      name: "a file nested too deeply: an error, one character where the nesting passes the limit",
      code: nested(600, 497),
      errors: [
        {
          message: "this file is too deeply nested to analyse (more than 500 levels of syntax): it is not analysed, so it has no other findings",
          severity: "error",
          data: { kind: "analysisLimit", limit: "nesting" },
        },
      ],
    },
  ],
});
