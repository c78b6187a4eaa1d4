// Regenerates schema/scenario.schema.json from the TypeScript types in src/model/scenario.ts. The
// types are the single source of truth; a test checks the committed file equals a fresh run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateScenarioSchema } from './schema-generator.mjs';

const schemaFile = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url));
writeFileSync(schemaFile, `${JSON.stringify(generateScenarioSchema(), null, 2)}\n`);
console.log(`wrote ${schemaFile}`);
