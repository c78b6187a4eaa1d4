import { Ajv, type ValidateFunction } from 'ajv';
import type { DslCode } from '../errors/dsl-messages.js';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import type { ParsedFile } from '../source/parsed-file.js';
import { DSL_LIMITS } from '../limits.js';
import { processSchema } from './process-schema.js';
import { schemaErrorDiagnostics, type SchemaProblem } from './schema-errors.js';

/**
 * Each schema's compiled validator (校验器), kept by the schema object it was compiled from: compiling
 * takes a tenth of a second or more, far too long per file, and is done on first use, so importing
 * the DSL (a simulation thread does, to run validated definitions) costs nothing. The validator
 * lives as long as its schema.
 */
const validators = new WeakMap<object, ValidateFunction>();

function validateShape(value: unknown): ValidateFunction {
  let validator = validators.get(processSchema);
  if (validator === undefined) validators.set(processSchema, (validator = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(processSchema)));
  validator(value);
  return validator;
}

const CODES: Record<SchemaProblem, DslCode> = {
  missing: 'DSL_SCHEMA_MISSING',
  'unknown-key': 'DSL_SCHEMA_UNKNOWN_KEY',
  type: 'DSL_SCHEMA_TYPE',
  enum: 'DSL_SCHEMA_ENUM',
  invalid: 'DSL_SCHEMA_INVALID',
};

/** Checks a parsed file against the JSON Schema; every problem comes back at its line and column. */
export function checkSchema(parsed: ParsedFile): Diagnostic[] {
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : value === undefined || value === null ? 'an empty document' : `the value ${JSON.stringify(value)}`;
    return [diagnostic('DSL_NOT_A_MAPPING', 'error', parsed.spanAt(''), { found })];
  }
  // A file of another kind (a scenario beside the process files) is named as such, not offered the
  // one kind the schema's branches happened to compare last.
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind === 'string' && kind !== 'campaign' && kind !== 'subprocess') {
    const scenario = kind === 'scenario';
    return [
      diagnostic('DSL_NOT_A_PROCESS_KIND', 'error', parsed.spanAt('/kind'), {
        kind: kind.length > 60 ? `${kind.slice(0, 57)}…` : kind,
        hintEn: scenario ? '. This is a simulation scenario: give it to luoshi simulate --scenario' : '',
        hintZh: scenario ? '。这是模拟情景文件，请用 luoshi simulate --scenario 指定' : '',
      }),
    ];
  }
  const checked = validateShape(value);
  if (!checked.errors) return [];
  let errors = checked.errors.filter((e) => e.keyword !== 'if');
  // A wrong `kind` makes the other branch report everything; the kind itself is the mistake.
  const kindError = errors.find((e) => e.instancePath === '/kind');
  if (kindError) errors = [kindError];
  // Bounded: a document of a hundred thousand wrong values gets its first problems, not all.
  return schemaErrorDiagnostics(parsed, errors.slice(0, DSL_LIMITS.diagnosticsPerFile), (problem, span, params) => diagnostic(CODES[problem], 'error', span, params));
}
