// Regenerates schema/process.schema.json from the TypeScript types in src/model/.
// The types are the single source of truth; a test checks the committed file equals a fresh run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateProcessSchema } from './schema-generator.mjs';

const out = fileURLToPath(new URL('../schema/process.schema.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(generateProcessSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
