import { describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, simulate } from '@luoshi/sim';

/*
 * A run from the start stands at the campaign's start (seed 002: 1 April 2010 in Shanghai): an
 * `until` at or before it would simulate nothing, and is refused as `simulateFrom` refuses one before
 * its cut, with both instants in the campaign's zone.
 */
const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes`]);
const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
const START = Date.parse('2010-04-01T00:00:00+08:00');

describe('given seed 002, which starts on 1 April 2010', () => {
  it('when a run is asked to stop at its start or before, then it is refused with both times in Shanghai time', async () => {
    if (!loaded.scenario) throw new Error('scenario');
    for (const until of [START, START - 86_400_000, 0]) {
      const refused = simulate({ definitions, processId: '机关作风建设年', scenario: loaded.scenario, until });
      await expect(refused).rejects.toMatchObject({ code: 'SIM_UNTIL_PASSED' });
      await expect(refused).rejects.toThrow(/stands at 2010-04-01 00:00:00 \(times in Asia\/Shanghai\)/);
    }
  });
});
