// How deep a syntax tree the analysis takes on. Its walks recurse once per level (or more), so a
// tree deeper than this would overflow the stack; such a file is reported (AD090), not analysed.
import ts from "typescript";

/**
 * Syntax nesting the analysis takes on (a node's depth in the tree). Real drivers stay under 60;
 * the analysis's walks recurse per level and overflow the stack past about 1,500 levels.
 */
export const MAX_NESTING = 500;

/**
 * Bracket depth past which the tree is walked to measure its depth: below it a tree deeper than
 * MAX_NESTING needs long `else if` or operator chains, which the analysis's walks take on (and a
 * stack overflow, should one come, is still reported as AD090 on the file).
 */
const BRACKETS_WORTH_A_WALK = MAX_NESTING / 5;

/** True when the text's brackets nest deeper than BRACKETS_WORTH_A_WALK (a scan, no tree walk). */
function deeplyBracketed(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x28 || c === 0x5b) {
      if (++depth > BRACKETS_WORTH_A_WALK) return true;
    } else if (c === 0x7d || c === 0x29 || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The first node (in document order) deeper than `limit`, found without recursion; undefined at
 * once for a text whose brackets nest shallowly (most files: a scan of the text costs far less than
 * a walk of the tree).
 */
export function tooDeep(sf: ts.SourceFile, limit = MAX_NESTING): ts.Node | undefined {
  if (!deeplyBracketed(sf.text)) return undefined;
  const nodes: ts.Node[] = [sf];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return node;
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i]!);
      depths.push(depth + 1);
    }
  }
  return undefined;
}

/** A stack overflow: what recursion over too deep a tree ends in. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
