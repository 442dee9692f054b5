// Reading a source file from disk for the analysis, safely: only regular files, at most
// MAX_SOURCE_BYTES, and never a read that can block. Both hosts (the CLI and the language server)
// read through here, so a FIFO or a link to a device behaves the same in each: a finding on the
// import (see `SourceLimitError`), never a hang or a file that grows without end.
import * as fs from "node:fs";

/** The largest source file the analysis reads (4 MB). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** A file that exists but is not analysed: not a regular file, or over MAX_SOURCE_BYTES. */
export class SourceLimitError extends Error {
  constructor(
    readonly fileName: string,
    /** Why, as the end of a sentence: "is a FIFO, not a regular file". */
    readonly reason: string,
  ) {
    super(`'${fileName}' ${reason}`);
    this.name = "SourceLimitError";
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function check(fileName: string, stat: fs.Stats): void {
  if (!stat.isFile()) {
    const kind = kindOf(stat);
    throw new SourceLimitError(fileName, kind === "not a regular file" ? kind : `is ${kind}, not a regular file`);
  }
  if (stat.size > MAX_SOURCE_BYTES) throw new SourceLimitError(fileName, `is ${megabytes(stat.size)}, over the ${megabytes(MAX_SOURCE_BYTES)} limit`);
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * The file's text (UTF-8); undefined when it does not exist. Throws SourceLimitError for a file
 * that is not regular or is too large, and the system's error when it cannot be read (EACCES...).
 *
 * The file is checked before it is opened (opening a device can have effects of its own), opened
 * non-blocking (a FIFO swapped in meanwhile cannot block the open or the read), checked again
 * through the open descriptor, and read up to one byte past the limit (a file that grows while
 * read is caught too).
 */
export function readSourceFile(fileName: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(fileName);
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
  check(fileName, stat);
  let fd: number;
  try {
    fd = fs.openSync(fileName, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
  try {
    check(fileName, fs.fstatSync(fd));
    let buffer = Buffer.allocUnsafe(Math.min(MAX_SOURCE_BYTES + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_SOURCE_BYTES) throw new SourceLimitError(fileName, `is over the ${megabytes(MAX_SOURCE_BYTES)} limit`);
        const grown = Buffer.allocUnsafe(Math.min(MAX_SOURCE_BYTES + 1, length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.toString("utf8", 0, length);
      length += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}
