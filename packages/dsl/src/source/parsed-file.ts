import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import type { SourceSpan } from '../errors/luoshi-error.js';
import { DSL_LIMITS } from '../limits.js';
import { checkDocumentTree, checkSyntaxTree, countTokens, strayAliases } from './document-guards.js';
import { decodeUtf8, lonelySurrogate } from './text-encoding.js';

/**
 * A process file parsed with its source positions kept, so any JSON Pointer into the value can be
 * turned back into a line and column.
 */
export interface ParsedFile {
  readonly file: string;
  readonly text: string;
  /** The plain value (undefined when the text could not be parsed at all). */
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** The span of the value (or, with `key`, of the mapping key) at a JSON Pointer. */
  spanAt(pointer: string, options?: { key?: boolean }): SourceSpan;
}

/** Splits a JSON Pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins segments into a JSON Pointer. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Options of `parseProcessText`. */
export interface ParseOptions {
  /**
   * YAML tokens left for the files parsed together (`DSL_LIMITS.totalYamlTokens` to begin with);
   * each file parsed takes its tokens from it. Owned by the caller: one per validation.
   */
  readonly tokenBudget?: { remaining: number };
}

/**
 * Parses the files of one deploy or one folder with a shared token budget, so their parsing cost
 * together is bounded. Past `DSL_LIMITS.files` files none is parsed (validation refuses them all).
 */
export function parseProcessTexts(files: readonly { readonly file: string; readonly text: string | Uint8Array }[]): ParsedFile[] {
  if (files.length > DSL_LIMITS.files) return files.map((f) => unparsed(f.file, '', []));
  const tokenBudget = { remaining: DSL_LIMITS.totalYamlTokens };
  return files.map((f) => parseProcessText(f.text, f.file, { tokenBudget }));
}

/** A file that could not be parsed at all: its diagnostics, and no value. */
function unparsed(file: string, text: string, diagnostics: Diagnostic[]): ParsedFile {
  return { file, text, value: undefined, diagnostics, spanAt: (pointer) => ({ file, line: 1, column: 1, pointer }) };
}

/**
 * Parses YAML or JSON text (JSON is YAML 1.2) keeping positions. Bytes are decoded as strict
 * UTF-8. Never throws, and costs time linear in the input: the size is checked before anything
 * else, the YAML tokens are counted (and the count bounded) before the document is built, the
 * nesting is measured on the syntax tree before the recursive composer runs, and duplicate keys
 * are found with one set per mapping (the YAML library's own check compares every pair of keys).
 */
export function parseProcessText(input: string | Uint8Array, file: string, options: ParseOptions = {}): ParsedFile {
  const limit = DSL_LIMITS.fileBytes;
  const size = typeof input === 'string' ? (input.length * 3 <= limit ? input.length : Buffer.byteLength(input, 'utf8')) : input.byteLength;
  if (size > limit) return unparsed(file, '', [diagnostic('DSL_FILE_TOO_LARGE', 'error', { file, line: 1, column: 1 }, { size, limit })]);
  let text: string;
  if (typeof input === 'string') {
    text = input;
    const bad = lonelySurrogate(text);
    if (bad !== undefined) {
      const at = positionIn(text, bad, file);
      return unparsed(file, '', [diagnostic('DSL_INVALID_ENCODING', 'error', at, { detail: 'an unpaired surrogate code unit' })]);
    }
  } else {
    const decoded = decodeUtf8(input);
    if ('invalidAt' in decoded) {
      const at = positionIn(decoded.prefix, decoded.prefix.length, file);
      const detail = `byte ${decoded.invalidAt}: 0x${(input[decoded.invalidAt] ?? 0).toString(16).padStart(2, '0')}`;
      return unparsed(file, '', [diagnostic('DSL_INVALID_ENCODING', 'error', at, { detail })]);
    }
    text = decoded.text;
  }
  const budget = options.tokenBudget;
  const tokens = countTokens(text, Math.min(DSL_LIMITS.yamlTokens, budget?.remaining ?? Infinity));
  if (tokens > DSL_LIMITS.yamlTokens) {
    return unparsed(file, text, [diagnostic('DSL_FILE_TOO_COMPLEX', 'error', { file, line: 1, column: 1 }, { limit: DSL_LIMITS.yamlTokens })]);
  }
  if (budget) {
    if (tokens > budget.remaining) {
      budget.remaining = 0;
      return unparsed(file, text, [diagnostic('DSL_TOTAL_TOO_COMPLEX', 'error', { file, line: 1, column: 1 }, { limit: DSL_LIMITS.totalYamlTokens })]);
    }
    budget.remaining -= tokens;
  }

  const lineCounter = new LineCounter();
  const position = (offset: number): SourceSpan => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [];
  let doc: Document.Parsed | undefined;
  try {
    const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
    const tooDeep = checkSyntaxTree(tokens, DSL_LIMITS.nestingDepth);
    if (tooDeep !== undefined) {
      return unparsed(file, text, [diagnostic('DSL_NESTING_TOO_DEEP', 'error', position(tooDeep), { limit: DSL_LIMITS.nestingDepth })]);
    }
    for (const composed of new Composer({ prettyErrors: false, uniqueKeys: false, strict: true }).compose(tokens, true, text.length)) {
      if (!doc) doc = composed;
      else {
        diagnostics.push(diagnostic('DSL_YAML_SYNTAX', 'error', position(composed.range[0]), { detail: 'the file holds more than one YAML document' }));
        break;
      }
    }
  } catch (error) {
    diagnostics.push(diagnostic('DSL_YAML_SYNTAX', 'error', { file, line: 1, column: 1 }, { detail: String(error) }));
  }
  let value: unknown;
  if (doc) {
    // A value that starts with "*" is an alias to YAML: said at its own line with the fix (quotes),
    // and yaml's follow-on errors on that line ("Unexpected scalar at node end") left out.
    const strayLines = new Set<number>();
    for (const alias of strayAliases(doc, DSL_LIMITS.diagnosticsPerFile)) {
      const at = position(alias.offset);
      strayLines.add(at.line ?? 0);
      const lineEnd = text.indexOf('\n', alias.offset);
      const value = text.slice(alias.offset, lineEnd < 0 ? text.length : lineEnd).trim();
      const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
      diagnostics.push(diagnostic('DSL_YAML_UNQUOTED_STAR', 'error', at, { name: alias.name.length > 60 ? `${alias.name.slice(0, 57)}…` : alias.name, text: shown.replace(/'/g, "''") }));
    }
    for (const error of doc.errors.slice(0, DSL_LIMITS.diagnosticsPerFile)) {
      const at = position(error.pos[0]);
      if (strayLines.has(at.line ?? 0)) continue;
      diagnostics.push(diagnostic('DSL_YAML_SYNTAX', 'error', at, { detail: firstLine(error.message) }));
    }
    if (doc.errors.length === 0) {
      for (const problem of checkDocumentTree(doc, DSL_LIMITS.diagnosticsPerFile)) {
        const at = position(problem.offset);
        diagnostics.push(
          problem.kind === 'duplicate-key'
            ? diagnostic('DSL_YAML_DUPLICATE_KEY', 'error', at, { key: problem.key })
            : diagnostic('DSL_NUL_CHARACTER', 'error', at),
        );
      }
    }
    if (diagnostics.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        diagnostics.push(diagnostic('DSL_YAML_SYNTAX', 'error', { file, line: 1, column: 1 }, { detail: String(error) }));
      }
    }
  }
  // Each mapping's keys indexed on first use: a pointer into a mapping of many keys (a ranking's
  // weights) costs one look-up, not a scan, however many diagnostics point there.
  const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  const spanAt = (pointer: string, options: { key?: boolean } = {}): SourceSpan => {
    const fallback: SourceSpan = { file, line: 1, column: 1, pointer };
    if (!doc) return fallback;
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of pointerSegments(pointer)) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = pairOf(node, segment);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node)) {
        const index = Number(segment);
        if (!Number.isInteger(index) || !node.items[index]) break;
        node = node.items[index];
      } else {
        break;
      }
    }
    const target = (options.key && keyNode ? keyNode : node) as Node | undefined;
    const range = target && (target as { range?: [number, number, number] }).range;
    if (!range) return fallback;
    return { ...position(range[0]), pointer };
  };
  return { file, text, value, diagnostics, spanAt };
}

/** The line and column of a UTF-16 offset, counted in the text before it. */
function positionIn(text: string, offset: number, file: string): SourceSpan {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
