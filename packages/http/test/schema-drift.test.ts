import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper shared with the generate script, no type declarations
import { generateApiSchemas } from '../scripts/openapi-schema-generator.mjs';

describe('the committed OpenAPI body schemas', () => {
  it('equal a fresh generation from src/api-types.ts and the engine views (run `npm run schema -w packages/http` after changing them)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/api-schemas.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(generateApiSchemas());
  }, 120_000);
});
