import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper shared with the generate script, no type declarations
import { generateProcessSchema } from '../scripts/schema-generator.mjs';

describe('the committed JSON Schema', () => {
  it('equals a fresh generation from the TypeScript types (run `npm run schema` after changing them)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/process.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(generateProcessSchema());
  }, 120_000);

  it('carries the JSDoc descriptions policy staff see on hover', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/process.schema.json', import.meta.url), 'utf8'));
    expect(schema.definitions.EscalationLadder.description).toMatch(/问责阶梯/);
    expect(schema.definitions.Phase.properties.window.description).toMatch(/4月至5月/);
  });
});

describe('the committed construct reference (docs/reference.md)', () => {
  it('equals a fresh rendering of the schema descriptions', async () => {
    // @ts-expect-error: plain ESM helper, no type declarations
    const { renderReference } = await import('../scripts/reference-generator.mjs');
    const committed = readFileSync(new URL('../../../docs/reference.md', import.meta.url), 'utf8');
    const schema = JSON.parse(readFileSync(new URL('../schema/process.schema.json', import.meta.url), 'utf8'));
    expect(committed).toBe(renderReference(schema));
  });
});
