// `active-driver check [--format text|json|sarif|github] [--watch] PATH...`: the analyser's
// diagnostics for files and folders (recursing into *.ts, skipping node_modules and .d.ts). Exit 0
// without errors, 1 with errors, 2 on bad usage, unreadable input, a file too deeply nested to
// analyse or an internal error; --watch runs until Ctrl+C.
import { readdirSync, realpathSync, statSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  analyzeFile,
  createAnalysisCache,
  mergeFindings,
  readSourceFile,
  rules,
  SourceLimitError,
  type AnalysisDiagnostic,
  type AnalysisHost,
  type HelperDiagnostic,
  type Severity,
} from "../../server/src/analysis";
import { parseArgs, UsageError } from "./usage";

/** One diagnostic as the JSON format prints it (1-based lines and columns; the end column is exclusive). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
}

export interface CheckedFile {
  /** As printed: relative to the working directory when inside it, with forward slashes. */
  file: string;
  diagnostics: AnalysisDiagnostic[];
  /** Not named by the arguments: a helper file a checked driver calls, listed for its findings. */
  reached?: boolean;
}

/** Input that cannot be read: reported with exit status 2. */
export class InputError extends Error {}

const formats = ["text", "json", "sarif", "github"] as const;
type Format = (typeof formats)[number];

function isSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts");
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/**
 * The files named by the arguments: files as given, folders searched for *.ts. Symbolic links are
 * followed, to files and to folders; each file and folder is taken once (by its real path), so a
 * link back up the tree ends there.
 */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const once = (p: string): boolean => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      real = path.resolve(p);
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };
  const walk = (dir: string): void => {
    if (!once(dir)) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(`cannot read folder '${dir}': ${reason(error)}`);
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const p = path.join(dir, entry.name);
      let kind: "dir" | "file" | undefined = entry.isDirectory() ? "dir" : entry.isFile() ? "file" : undefined;
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(p);
          kind = target.isDirectory() ? "dir" : target.isFile() ? "file" : undefined;
        } catch {
          kind = undefined; // a dangling link: nothing to check
        }
      }
      if (kind === "dir") walk(p);
      else if (kind === "file" && isSource(entry.name) && once(p)) out.push(p);
    }
  };
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch (error) {
      throw new InputError(`cannot read '${p}': ${reason(error)}`);
    }
    if (stat.isDirectory()) walk(p);
    else if (once(p)) out.push(p);
  }
  return out.map((f) => path.resolve(f));
}

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  return shown.split(path.sep).join("/");
}

/** Imports are read as the language server reads them: regular files under the size limit, never blocking. */
const fsHost: AnalysisHost = {
  readFile(p) {
    try {
      return readSourceFile(p);
    } catch (error) {
      if (error instanceof SourceLimitError) throw error;
      return undefined;
    }
  },
};

/** Analyses files (absolute paths); throws InputError for a file that cannot be read. */
export function checkFiles(files: readonly string[], cwd = process.cwd()): { checked: CheckedFile[]; internalErrors: string[] } {
  const cache = createAnalysisCache();
  const checked: CheckedFile[] = [];
  const helpers: HelperDiagnostic[] = [];
  const internalErrors: string[] = [];
  for (const file of files) {
    let text: string | undefined;
    try {
      text = readSourceFile(file);
    } catch (error) {
      throw new InputError(`cannot read '${displayPath(file, cwd)}': ${error instanceof SourceLimitError ? `the file ${error.reason}` : reason(error)}`);
    }
    if (text === undefined) throw new InputError(`cannot read '${displayPath(file, cwd)}': no such file or directory`);
    const result = analyzeFile(file, text, fsHost, { cache });
    checked.push({ file: displayPath(file, cwd), diagnostics: result.diagnostics });
    helpers.push(...(result.helperDiagnostics ?? []));
    internalErrors.push(...result.internalErrors);
  }
  addHelperFindings(checked, helpers, cwd);
  return { checked, internalErrors };
}

/**
 * Findings in helpers go under the helper's file (listed after the checked files when it was not
 * checked itself). A finding reached from several drivers is one finding (see `mergeFindings`): the
 * states of every driver in its message, every call that reaches it in its related information.
 */
function addHelperFindings(checked: CheckedFile[], helpers: readonly HelperDiagnostic[], cwd: string): void {
  const byFile = new Map(checked.map((c) => [c.file, c]));
  for (const { file: absolute, ...d } of mergeFindings(helpers)) {
    const file = displayPath(absolute, cwd);
    let entry = byFile.get(file);
    if (entry === undefined) {
      entry = { file, diagnostics: [], reached: true };
      byFile.set(file, entry);
      checked.push(entry);
    }
    entry.diagnostics.push(d);
  }
  for (const entry of checked)
    entry.diagnostics.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
    );
}

export function findings(checked: readonly CheckedFile[]): Finding[] {
  return checked.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => ({
      file,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
    })),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === "information" ? "" : "s"}`;
}

export function formatText(checked: readonly CheckedFile[]): string {
  const all = findings(checked);
  const lines = all.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code} ${f.message}`);
  const count = (s: Severity): number => all.filter((f) => f.severity === s).length;
  const files = plural(checked.filter((c) => c.reached !== true).length, "file");
  lines.push(
    all.length === 0
      ? `no problems in ${files}`
      : `${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${plural(count("information"), "information")} in ${files}`,
  );
  return `${lines.join("\n")}\n`;
}

const githubCommand: Record<Severity, string> = { error: "error", warning: "warning", information: "notice" };

/** A workflow command's message: `%`, CR and LF escaped (GitHub's rules); properties also escape `:` and `,`. */
function githubEscape(text: string, property = false): string {
  const data = text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  return property ? data.replace(/:/g, "%3A").replace(/,/g, "%2C") : data;
}

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the line in the pull
 * request's diff (no code scanning needed); the summary line follows as plain log text.
 */
export function formatGithub(checked: readonly CheckedFile[]): string {
  const lines = findings(checked).map(
    (f) =>
      `::${githubCommand[f.severity]} file=${githubEscape(f.file, true)},line=${f.line},endLine=${f.endLine},col=${f.column},endColumn=${f.endColumn},title=${githubEscape(f.code, true)}::${githubEscape(f.message)}`,
  );
  lines.push(formatText(checked).trimEnd().split("\n").at(-1)!);
  return `${lines.join("\n")}\n`;
}

const sarifLevel: Record<Severity, string> = { error: "error", warning: "warning", information: "note" };

/** A file or a failure that stopped part of the analysis: exit status 2, and a SARIF tool-execution notification. */
export interface Unanalysed {
  /** As printed (see CheckedFile.file); absent for a failure not tied to a file. */
  file?: string;
  diagnostic?: AnalysisDiagnostic;
  message: string;
}

/** What was not analysed: files too deeply nested (AD090 on the file) and internal errors. */
export function unanalysed(checked: readonly CheckedFile[], internalErrors: readonly string[]): Unanalysed[] {
  const out: Unanalysed[] = [];
  for (const { file, diagnostics } of checked) {
    for (const d of diagnostics)
      if (d.data?.kind === "analysisLimit" && d.data.limit === "nesting") out.push({ file, diagnostic: d, message: `${file}: ${d.message}` });
  }
  for (const e of internalErrors) out.push({ message: `internal error (please report): ${e.split("\n")[0]}` });
  return out;
}

/** SARIF 2.1.0, as GitHub code scanning reads it; `failures` become tool-execution notifications. */
export function formatSarif(checked: readonly CheckedFile[], cwd = process.cwd(), failures: readonly Unanalysed[] = []): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const region = (r: AnalysisDiagnostic["range"]) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  // URIs percent-encoded (RFC 3986): `#`, `?`, `%`, spaces and non-ASCII in a name would otherwise change what the URI names.
  const artifact = (file: string) =>
    path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  const results = checked.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? 0,
      level: sarifLevel[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(file), region: region(d.range) } }],
      ...(d.related.length > 0
        ? {
            relatedLocations: d.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: { artifactLocation: artifact(displayPath(r.file, cwd)), region: region(r.range) },
            })),
          }
        : {}),
    })),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "active-driver",
            version: "0.1.0",
            rules: rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: r.help, markdown: `**${r.code}** ${r.title}\n\n${r.help}` },
              defaultConfiguration: { level: sarifLevel[r.severity] },
              properties: { tags: ["active-driver", "correctness"] },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(cwd).href.replace(/\/?$/, "/") } },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            toolExecutionNotifications: failures.map((f) => ({
              level: "error",
              message: { text: f.message },
              ...(f.file !== undefined && f.diagnostic !== undefined
                ? { locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: region(f.diagnostic.range) } }] }
                : {}),
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export async function check(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, { format: "string", watch: "boolean" });
  const format = (options.format ?? "text") as string;
  if (!formats.includes(format as Format)) throw new UsageError(`unknown format '${format}' (expected text, json, sarif or github)`);
  if (positional.length === 0) throw new UsageError("check needs at least one file or folder");
  if (options.watch === true && format !== "text") throw new UsageError(`--watch prints text: it does not combine with --format ${format}`);
  let result: ReturnType<typeof checkFiles>;
  try {
    const files = collectFiles(positional);
    if (options.watch === true) return await (await import("./watch.js")).watchCheck(positional);
    if (files.length === 0) throw new InputError(`no drivers found: no .ts files in ${positional.map((p) => `'${p}'`).join(", ")}`);
    result = checkFiles(files);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`active-driver check: ${error.message}\n`);
    return 2;
  }
  for (const e of result.internalErrors) process.stderr.write(`active-driver check: internal error (please report): ${e}\n`);
  const { checked } = result;
  const failures = unanalysed(checked, result.internalErrors);
  for (const f of failures) if (f.file !== undefined) process.stderr.write(`active-driver check: not analysed: ${f.message}\n`);
  const out =
    format === "json"
      ? `${JSON.stringify(findings(checked), null, 2)}\n`
      : format === "sarif"
        ? formatSarif(checked, process.cwd(), failures)
        : format === "github"
          ? formatGithub(checked)
          : formatText(checked);
  process.stdout.write(out);
  // A file not analysed, or an analysis that failed, is not a pass: never exit 0 then.
  if (failures.length > 0) return 2;
  return checked.some((c) => c.diagnostics.some((d) => d.severity === "error")) ? 1 : 0;
}
