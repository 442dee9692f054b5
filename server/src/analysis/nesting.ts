// How deep a syntax tree the analysis takes on. Its walks recurse once per level (or more), so a
// tree deeper than this would overflow the stack; such a file is reported (AD090), not analysed.
import ts from "typescript";

/**
 * Syntax nesting the analysis takes on (a node's depth in the tree). Real drivers stay under 60;
 * the analysis's walks recurse per level and overflow the stack past about 1,500 levels.
 */
export const MAX_NESTING = 500;

/** The first node (in document order) deeper than `limit`, found without recursion. */
export function tooDeep(sf: ts.SourceFile, limit = MAX_NESTING): ts.Node | undefined {
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

