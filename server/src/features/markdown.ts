// Names from the user's code (a protocol's `name`, message and thread names, payload types) put in
// Markdown: a code span long enough that no backtick inside ends it, bold text with Markdown's
// punctuation escaped, so a name cannot inject links or formatting into a hover.

/** `text` as an inline code span (CommonMark: a fence longer than any run of backticks inside). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `text` with Markdown's punctuation backslash-escaped (CommonMark: any ASCII punctuation may be). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_{}[\]()#+\-.!<>|~&]/g, "\\$&");
}
