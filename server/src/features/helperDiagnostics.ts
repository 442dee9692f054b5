// What a helper file shows for the findings the open drivers' analyses locate in it (see
// workspace/helperFindings.ts): in its pulled diagnostics while it is open, and pushed
// (`textDocument/publishDiagnostics`) while it is not, so that the finding is on the helper's line
// whenever a driver that calls it is open. Pushed diagnostics are cleared when the file opens
// (pulled ones take over) and when no open driver reaches it any more.
import type { Diagnostic } from "vscode-languageserver";
import type { AnalysisResult } from "../analysis/types";
import type { AnalysisService } from "../workspace/analysisService";
import { uriOfFileName } from "../workspace/uris";
import { toLspDiagnostic } from "./diagnostics";

export interface HelperDiagnosticsHost {
  service: AnalysisService;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** Asks the client to pull again (an open helper file's findings changed). */
  refresh(reason: string): void;
  docsBaseUrl(): string | undefined;
}

export class HelperDiagnostics {
  /** Open document URI -> the files its analysis locates findings in, and what they were. */
  private readonly reached = new Map<string, { files: Set<string>; signature: string }>();
  /** Files not open whose findings were pushed. */
  private readonly pushed = new Set<string>();

  constructor(private readonly host: HelperDiagnosticsHost) {}

  private uriOf = (file: string): string => this.host.service.openUri(file) ?? uriOfFileName(file);

  /** The findings to add to `fileName`'s own pulled diagnostics, and the part of its result id they make. */
  pulled(fileName: string): { items: Diagnostic[]; key: string } {
    const { diagnostics, key } = this.host.service.helperFindings(fileName);
    return { items: diagnostics.map((d) => toLspDiagnostic({ uriOf: this.uriOf }, d, this.host.docsBaseUrl())), key };
  }

  /** A document was analysed: the helper files whose findings changed are brought up to date. */
  analysed(uri: string, result: AnalysisResult): void {
    const found = result.helperDiagnostics ?? [];
    const signature = JSON.stringify(found.map((d) => [d.file, d.code, d.range, d.message, d.related.map((r) => [r.file, r.range.start, r.message])]));
    const before = this.reached.get(uri);
    if (before?.signature === signature) return;
    const files = new Set(found.map((d) => d.file));
    if (files.size === 0) this.reached.delete(uri);
    else this.reached.set(uri, { files, signature });
    this.sync(new Set([...(before?.files ?? []), ...files]), uri);
  }

  /** A document closed: the findings its analysis located elsewhere go; if it is a helper, its own are pushed now. */
  closed(uri: string, fileName: string): void {
    const before = this.reached.get(uri);
    this.reached.delete(uri);
    this.sync(new Set([...(before?.files ?? []), fileName]), uri);
  }

  /** A document opened: its pulled diagnostics take over from pushed ones. */
  opened(fileName: string): void {
    if (this.pushed.delete(fileName)) this.host.publish(uriOfFileName(fileName), []);
  }

  private sync(files: Set<string>, because: string): void {
    let refresh = false;
    for (const file of files) {
      if (this.host.service.openUri(file) !== undefined) {
        refresh = true;
        continue;
      }
      const { items } = this.pulled(file);
      if (items.length === 0 && !this.pushed.has(file)) continue;
      if (items.length === 0) this.pushed.delete(file);
      else this.pushed.add(file);
      this.host.publish(uriOfFileName(file), items);
    }
    if (refresh) this.host.refresh(`findings of ${because} in helper files changed`);
  }
}
