import { readFileSync } from 'node:fs';

/** The generated JSON Schema of scenario files, read from the package's `schema/` folder. */
export const scenarioSchema: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The path of the schema file, for `$schema` comments. */
export const scenarioSchemaPath: string = new URL('../../schema/scenario.schema.json', import.meta.url).pathname;
