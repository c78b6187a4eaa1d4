import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, type CST, type Document } from 'yaml';

/**
 * Checks on a YAML file that keep parsing linear and bounded. They walk with explicit stacks, not
 * recursion, so a hostile nesting cannot overflow the call stack of the checks themselves.
 */

/** Counts the YAML lexer's tokens, stopping once past `limit` (so the count costs at most that). */
export function countTokens(text: string, limit: number): number {
  let count = 0;
  for (const _token of new Lexer().lex(text)) if (++count > limit) break;
  return count;
}

/**
 * The offset of the first collection nested deeper than `limit` in a syntax tree, if any. Run on
 * the parser's output before the composer, which recurses once per level.
 */
export function checkSyntaxTree(tokens: readonly CST.Token[], limit: number): number | undefined {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop() as { token: CST.Token | undefined; depth: number };
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > limit) return token.offset;
      for (const item of token.items) {
        stack.push({ token: item.key ?? undefined, depth: depth + 1 });
        stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** A problem found in a composed document. */
export type DocumentProblem =
  | { readonly kind: 'duplicate-key'; readonly offset: number; readonly key: string }
  | { readonly kind: 'nul'; readonly offset: number };

/**
 * Duplicate keys (one set per mapping: keys that would collide as object properties, `1` and
 * `"1"` too) and NUL characters in keys or values, at most `max` of them.
 */
export function checkDocumentTree(doc: Document.Parsed, max: number): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0 && problems.length < max) {
    const node = stack.pop();
    if (isAlias(node)) continue;
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.includes('\u0000')) problems.push({ kind: 'nul', offset: node.range?.[0] ?? 0 });
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key)) problems.push({ kind: 'duplicate-key', offset: pair.key.range?.[0] ?? 0, key: shorten(key) });
          seen.add(key);
        }
        stack.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return problems;
}

/** A key as shown in a message: at most 60 characters. */
function shorten(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}…` : key;
}

/** An alias (`*name`) with no anchor (`&name`) before it: where it starts and the name it reads. */
export interface StrayAlias {
  readonly offset: number;
  readonly name: string;
}

/**
 * Aliases that name no anchor set before them, in document order. A policy officer who writes
 * `title: *重点* 任务` means text, and YAML reads a reference to an anchor; yaml reports that as
 * "Unresolved alias" at 1:1 only when the value is built, so it is found here first, in one walk
 * (yaml's own `Alias.resolve` walks the whole document per alias).
 */
export function strayAliases(doc: Document.Parsed, max: number): StrayAlias[] {
  const stray: StrayAlias[] = [];
  const anchors = new Set<string>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0 && stray.length < max) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (!anchors.has(node.source)) stray.push({ offset: node.range?.[0] ?? 0, name: node.source });
      continue;
    }
    if (node !== null && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string') anchors.add(node.anchor);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (isPair(pair)) stack.push(pair.value, pair.key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return stray;
}
