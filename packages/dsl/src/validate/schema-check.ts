import { Ajv, type ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { processSchema } from './process-schema.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validateShape = ajv.compile(processSchema);

const TYPE_ZH: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  boolean: 'true 或 false',
  object: '键值块',
  array: '列表',
  null: '空值',
};

/** Checks a parsed file against the JSON Schema; every problem comes back at its line and column. */
export function checkSchema(parsed: ParsedFile): Diagnostic[] {
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : value === undefined || value === null ? 'an empty document' : `the value ${JSON.stringify(value)}`;
    return [diagnostic('DSL_NOT_A_MAPPING', 'error', parsed.spanAt(''), { found })];
  }
  if (validateShape(value)) return [];
  let errors = (validateShape.errors ?? []).filter((e) => e.keyword !== 'if');
  // A wrong `kind` makes the other branch report everything; the kind itself is the mistake.
  const kindError = errors.find((e) => e.instancePath === '/kind');
  if (kindError) errors = [kindError];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const d = toDiagnostic(parsed, error);
    const key = `${d.code}|${d.pointer}|${d.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(parsed: ParsedFile, error: ErrorObject): Diagnostic {
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const property = String((error.params as { missingProperty: string }).missingProperty);
      return diagnostic('DSL_SCHEMA_MISSING', 'error', parsed.spanAt(pointer), { property });
    }
    case 'additionalProperties': {
      const property = String((error.params as { additionalProperty: string }).additionalProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      return diagnostic('DSL_SCHEMA_UNKNOWN_KEY', 'error', parsed.spanAt(`${pointer}${toPointer([property])}`, { key: true }), {
        property,
        allowed: Object.keys(properties).join(', '),
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      const expectedZh = expected.split(',').map((t) => TYPE_ZH[t] ?? t).join('或');
      return diagnostic('DSL_SCHEMA_TYPE', 'error', parsed.spanAt(pointer), { expected, expectedZh });
    }
    case 'enum':
    case 'const': {
      const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const allowed = params.allowedValues ?? [params.allowedValue];
      return diagnostic('DSL_SCHEMA_ENUM', 'error', parsed.spanAt(pointer), {
        value: JSON.stringify(error.data),
        allowed: allowed.map((v) => String(v)).join(', '),
      });
    }
    default:
      return diagnostic('DSL_SCHEMA_INVALID', 'error', parsed.spanAt(pointer), {
        detail: `${error.message ?? error.keyword}`,
      });
  }
}

