import { fileURLToPath } from 'node:url';
import TJS from 'typescript-json-schema';

const entry = fileURLToPath(new URL('../src/api-types.ts', import.meta.url));

/** The request and response bodies of the API, by name. */
export const API_TYPES = [
  'DeployRequest',
  'DeployResponse',
  'ProcessVersion',
  'ProcessList',
  'StartCampaignRequest',
  'StartedCampaign',
  'CloseCampaignRequest',
  'ClosedCampaign',
  'ErrorBody',
  'Rollup',
  'Outcomes',
  'TrackedItems',
  'ExtensionRequests',
  'InstanceState',
  'InstanceStates',
  'Standings',
  'History',
  'Tasks',
  'Subjects',
  'HostEvent',
  'SendResult',
];

/**
 * Builds `components.schemas` of the OpenAPI document from the TypeScript types in src/api-types.ts
 * (and the engine and DSL types they name). Deterministic output. Needs the engine and DSL built
 * (`tsc -b`): their types are read from dist.
 */
export function generateApiSchemas() {
  const program = TJS.getProgramFromFiles([entry], {
    strict: true,
    skipLibCheck: true,
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  });
  const generator = TJS.buildGenerator(program, {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    titles: false,
    defaultProps: false,
    aliasRef: false,
    ignoreErrors: false,
  });
  if (!generator) throw new Error('typescript-json-schema could not build a generator');
  const { definitions } = generator.getSchemaForSymbols(API_TYPES);
  // A record (`Record<string, number>`) is written out where it is used, not made a component: a
  // generated client would otherwise name a type `Record_string_number`.
  const records = new Map();
  for (const name of Object.keys(definitions)) {
    const record = /^Record<string,(.+)>$/.exec(name);
    if (record) records.set(name, recordSchema(record[1], definitions, generator));
  }
  for (const name of records.keys()) delete definitions[name];
  const inlined = inlineRecords(definitions, records);
  // OpenAPI component names allow [A-Za-z0-9._-] only.
  let text = JSON.stringify(sortKeys(inlined));
  for (const name of Object.keys(definitions)) {
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/_+$/, '');
    text = text.replaceAll(`"#/definitions/${encodeURIComponent(name)}"`, `"#/components/schemas/${safe}"`).replaceAll(`${JSON.stringify(name)}:`, `${JSON.stringify(safe)}:`);
  }
  if (text.includes('#/definitions/')) throw new Error('a $ref was left unrenamed');
  return JSON.parse(text);
}

/**
 * typescript-json-schema renders `Record<string, V>` as an object allowing no property under
 * `noExtraProps`; the API's records have primitive, string-literal or unknown values, values of a
 * named type, or records of those, written out here.
 */
function recordSchema(values, definitions, generator) {
  if (values === 'unknown') return { type: 'object' };
  if (/^[A-Z][A-Za-z]*$/.test(values) && generator.getUserSymbols().includes(values)) {
    if (!Object.hasOwn(definitions, values)) {
      const { $schema: _, ...schema } = generator.getSchemaForSymbol(values, true, false);
      definitions[values] = schema;
    }
    return { type: 'object', additionalProperties: { $ref: `#/definitions/${values}` } };
  }
  const inner = /^(?:Readonly<)?Record<string,(.+?)>>?$/.exec(values);
  if (inner) return { type: 'object', additionalProperties: recordSchema(inner[1], definitions, generator) };
  const types = values.split('|');
  // A union of string literals (an inspection loop's status): strings of those values.
  if (types.every((t) => /^"[^"]*"$/.test(t))) return { type: 'object', additionalProperties: { type: 'string', enum: types.map((t) => JSON.parse(t)) } };
  if (!types.every((t) => ['string', 'number', 'boolean'].includes(t))) throw new Error(`no schema for Record<string,${values}>`);
  return { type: 'object', additionalProperties: { type: types.length === 1 ? types[0] : types } };
}

/** Replaces each `$ref` to a record by the record's schema (keeping a description beside the `$ref`). */
function inlineRecords(value, records) {
  if (Array.isArray(value)) return value.map((v) => inlineRecords(v, records));
  if (value === null || typeof value !== 'object') return value;
  const target = typeof value.$ref === 'string' && value.$ref.startsWith('#/definitions/') ? decodeURIComponent(value.$ref.slice('#/definitions/'.length)) : undefined;
  if (target !== undefined && records.has(target)) {
    const { $ref: _, ...siblings } = value;
    return inlineRecords({ ...records.get(target), ...siblings }, records);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inlineRecords(v, records)]));
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}
