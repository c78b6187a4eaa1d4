import type { ErrorObject } from 'ajv';
import type { SourceSpan } from '../errors/luoshi-error.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';

/** What kind of mistake a JSON Schema error is, whatever file format and code table report it. */
export type SchemaProblem = 'missing' | 'unknown-key' | 'type' | 'enum' | 'invalid';

/** Turns one schema problem, at its place, into a file format's own diagnostic. */
export type SchemaDiagnosticFactory<D> = (problem: SchemaProblem, span: SourceSpan, params: Record<string, string>) => D;

const TYPE_ZH: ReadonlyMap<string, string> = new Map([
  ['string', '文字'],
  ['number', '数字'],
  ['integer', '整数'],
  ['boolean', 'true 或 false'],
  ['object', '键值块'],
  ['array', '列表'],
  ['null', '空值'],
]);

/**
 * Maps Ajv errors (compiled with `verbose: true`) to positioned diagnostics built by `make`, each at
 * the line and column of the value (or key) it is about, with the parameters the messages of
 * process and scenario files name (`property`, `allowed`, `expected`/`expectedZh`, `value`,
 * `detail`). Errors that come out the same (code, place, English message) are reported once.
 */
export function schemaErrorDiagnostics<D extends { readonly code: string; readonly pointer?: string; readonly message: { readonly en: string } }>(
  parsed: ParsedFile,
  errors: readonly ErrorObject[],
  make: SchemaDiagnosticFactory<D>,
): D[] {
  const seen = new Set<string>();
  const out: D[] = [];
  for (const error of errors) {
    const d = toDiagnostic(parsed, error, make);
    const key = `${d.code}|${d.pointer ?? ''}|${d.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic<D>(parsed: ParsedFile, error: ErrorObject, make: SchemaDiagnosticFactory<D>): D {
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const property = String((error.params as { missingProperty: string }).missingProperty);
      return make('missing', parsed.spanAt(pointer), { property });
    }
    case 'additionalProperties': {
      const property = String((error.params as { additionalProperty: string }).additionalProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      return make('unknown-key', parsed.spanAt(`${pointer}${toPointer([property])}`, { key: true }), {
        property,
        allowed: Object.keys(properties).join(', '),
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      const expectedZh = expected.split(',').map((t) => TYPE_ZH.get(t) ?? t).join('或');
      return make('type', parsed.spanAt(pointer), { expected, expectedZh });
    }
    case 'enum':
    case 'const': {
      const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const allowed = params.allowedValues ?? [params.allowedValue];
      // A text is shown bare: the messages put their own quotes around it.
      const value = typeof error.data === 'string' ? error.data : JSON.stringify(error.data);
      return make('enum', parsed.spanAt(pointer), { value: value.length > 60 ? `${value.slice(0, 57)}…` : value, allowed: allowed.map((v) => String(v)).join(', ') });
    }
    default:
      return make('invalid', parsed.spanAt(pointer), { detail: `${error.message ?? error.keyword}` });
  }
}
