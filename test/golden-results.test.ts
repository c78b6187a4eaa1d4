import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenCases, goldenDir, goldenText } from './support/golden.js';

// A result that differs from its golden file is a change of behaviour: if it is meant, run
// `npm run golden:update` and say why in the commit.
describe('golden results of the simulator', () => {
  it.each(goldenCases().map((c) => [c.file, c] as const))('when %s is simulated again, then it equals its committed golden file', async (_file, golden) => {
    const expected = readFileSync(`${goldenDir}${golden.file}`, 'utf8');
    expect(goldenText(await golden.make())).toBe(expected);
  });
});
