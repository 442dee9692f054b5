// Document URIs and the file names the analysis works with. `file:` URIs become paths; any other
// scheme (untitled:, vscode-notebook-cell:, ...) is kept as its URI, so relative imports simply
// do not resolve from it.
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export function fileNameOf(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return path.normalize(fileURLToPath(uri));
    } catch {
      return uri;
    }
  }
  return uri;
}

export function uriOfFileName(fileName: string): string {
  return path.isAbsolute(fileName) ? pathToFileURL(fileName).href : fileName;
}
