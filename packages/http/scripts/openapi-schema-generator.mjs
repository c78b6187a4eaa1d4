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
  for (const name of Object.keys(definitions)) {
    const record = /^Record<string,(.+)>$/.exec(name);
    if (record) definitions[name] = recordSchema(record[1], definitions, generator);
  }
  // OpenAPI component names allow [A-Za-z0-9._-] only: `Record<string,number>` → `Record_string_number`.
  let text = JSON.stringify(sortKeys(definitions));
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

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}
