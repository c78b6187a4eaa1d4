import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper shared with the generate script, no type declarations
import { generateScenarioSchema } from '../scripts/schema-generator.mjs';

describe('the committed scenario JSON Schema', () => {
  it('equals a fresh generation from the TypeScript types (run `npm run schema -w @luoshi/sim` after changing them)', () => {
    const committed = JSON.parse(readFileSync(new URL('../schema/scenario.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(generateScenarioSchema());
  }, 120_000);

  it('carries the bilingual JSDoc descriptions planners see on hover', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/scenario.schema.json', import.meta.url), 'utf8'));
    expect(schema.definitions.TaskBehaviour.properties.neverProbability.description).toMatch(/从不完成的概率/);
    expect(schema.definitions.Distribution.properties.kind.enum).toEqual(['exponential', 'fixed', 'normal', 'uniform']);
  });
});
