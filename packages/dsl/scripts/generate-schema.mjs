// Regenerates schema/process.schema.json from the TypeScript types in src/model/, and the
// construct reference docs/reference.md from the schema. The types are the single source of
// truth; tests check both committed files equal a fresh run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReference } from './reference-generator.mjs';
import { generateProcessSchema } from './schema-generator.mjs';

const schemaFile = fileURLToPath(new URL('../schema/process.schema.json', import.meta.url));
const referenceFile = fileURLToPath(new URL('../../../docs/reference.md', import.meta.url));
const schema = generateProcessSchema();
writeFileSync(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
writeFileSync(referenceFile, renderReference(schema));
console.log(`wrote ${schemaFile}\nwrote ${referenceFile}`);
