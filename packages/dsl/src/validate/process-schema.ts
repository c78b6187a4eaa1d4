import { readFileSync } from 'node:fs';

/**
 * The generated JSON Schema for process files, read from the package's `schema/` folder (the file
 * is generated from the types and committed, so editors can point at it).
 */
export const processSchema: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../schema/process.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The path of the schema file, for `$schema` comments and the CLI. */
export const processSchemaPath: string = new URL('../../schema/process.schema.json', import.meta.url).pathname;
