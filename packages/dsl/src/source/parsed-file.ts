import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import type { SourceSpan } from '../errors/luoshi-error.js';

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

/**
 * Parses YAML or JSON text (JSON is YAML 1.2) keeping positions. Never throws: syntax problems come
 * back as diagnostics.
 */
export function parseProcessText(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  const diagnostics: Diagnostic[] = [];
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    diagnostics.push(
      diagnostic('DSL_YAML_SYNTAX', 'error', { file, line: 1, column: 1 }, { detail: String(error) }),
    );
  }
  const position = (offset: number): SourceSpan => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  let value: unknown;
  if (doc) {
    for (const error of doc.errors) {
      const at = position(error.pos[0]);
      if (error.code === 'DUPLICATE_KEY') {
        const key = /"([^"]*)"|'([^']*)'/.exec(error.message);
        diagnostics.push(diagnostic('DSL_YAML_DUPLICATE_KEY', 'error', at, { key: key?.[1] ?? key?.[2] ?? '?' }));
      } else {
        diagnostics.push(
          diagnostic('DSL_YAML_SYNTAX', 'error', at, { detail: firstLine(error.message) }),
        );
      }
    }
    if (doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        diagnostics.push(diagnostic('DSL_YAML_SYNTAX', 'error', { file, line: 1, column: 1 }, { detail: String(error) }));
      }
    }
  }
  const spanAt = (pointer: string, options: { key?: boolean } = {}): SourceSpan => {
    const fallback: SourceSpan = { file, line: 1, column: 1, pointer };
    if (!doc) return fallback;
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of pointerSegments(pointer)) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
