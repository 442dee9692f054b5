// A protocol `name` with backticks (or Markdown) stays text in hovers: it goes in a code span whose
// fence is longer than any run of backticks inside, so it cannot close the span and inject links or
// formatting.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { MarkupContent } from "vscode-languageserver";
import { hover } from "../../server/src/features/hover";
import { codeSpan } from "../../server/src/features/markdown";
import { analysed, positionOf } from "../server/helpers";
import { tempDir } from "./helpers";

const hostile = "eth` [click](https://example.invalid) **bold** ``x";

test("a protocol name with backticks is escaped in hovers", () => {
  const dir = tempDir("hover");
  const file = path.join(dir, "driver.ts");
  fs.writeFileSync(
    file,
    `import { defineDriver, defineProtocol, msg } from "active-driver";
const P = defineProtocol({
  name: ${JSON.stringify(hostile)},
  messages: { open: msg.in({ reply: "openComplete" }), openComplete: msg.out<{ status: number }>() },
  initial: "closed",
  states: { closed: { open: "opening" }, opening: { openComplete: "closed" } },
});
export default defineDriver({ protocol: P }, async (d) => {
  for (;;) {
    await d.wait(d.mb.open);
    d.send(d.mb.openComplete, { status: 0 });
  }
});
`,
  );
  const input = analysed(file);
  const at = positionOf(input.document.getText(), "d.mb.open)", 0);
  const h = hover(input, { line: at.line, character: at.character + 6 });
  const text = (h?.contents as MarkupContent | undefined)?.value ?? "";
  assert.ok(text.includes(`of protocol ${codeSpan(hostile)}`), text);
  assert.ok(text.includes("of protocol ```eth` [click]"), "the fence is longer than the longest run of backticks in the name");
});

test("code spans: a fence longer than any backtick run, padded when the text starts or ends with one", () => {
  assert.equal(codeSpan("plain"), "`plain`");
  assert.equal(codeSpan("a`b"), "``a`b``");
  assert.equal(codeSpan("`x``"), "``` `x`` ```");
  assert.equal(codeSpan("two\n\nparagraphs"), "`two paragraphs`");
});
