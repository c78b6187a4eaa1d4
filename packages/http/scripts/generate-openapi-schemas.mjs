// Regenerates schema/api-schemas.json (the OpenAPI components) from src/api-types.ts. Run after
// changing an API body type or an engine view: `npm run schema -w packages/http` (after `tsc -b`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateApiSchemas } from './openapi-schema-generator.mjs';

const file = fileURLToPath(new URL('../schema/api-schemas.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(generateApiSchemas(), null, 2)}\n`);
console.log(`wrote ${file}`);
