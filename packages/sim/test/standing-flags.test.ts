import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { minimalScenario } from '../../../test/support/minimal-campaign.js';
import { YEARLY_BOTTOM_CAMPAIGN, YEARLY_BOTTOM_PROCESS } from '../../../test/support/yearly-bottom-campaign.js';

/**
 * The end-of-run flag counts of a span of years (a standing mechanism simulated for 3 years): a
 * flag that lasts a year lapses at the instant the campaign year ends, which is the instant the span
 * ends. The count at the end is of the span's last year, as its flags stood when it ended, not of
 * the next year that has just begun with none.
 */
const SCENARIO = minimalScenario({
  id: '三年',
  seed: 9,
  units: 5,
  top: `
    title: 三年
    process: 年度末位`,
  behaviour: `
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    findingsPerUnitPerMonth: 0
    scores: { default: { kind: normal, mean: 80, sd: 10 } }`,
});

describe('given a standing mechanism whose yearly ranking (12月25日) flags the last unit for the year (lasts: year)', () => {
  it('when 3 years are simulated, then the end-of-run count holds 2026’s last unit (1), not the flags after they lapsed on 1 January 2027 (0)', async () => {
    const definitions = validateParsedFiles([parseProcessText(YEARLY_BOTTOM_CAMPAIGN, 'campaign.yaml')]);
    expect(definitions.diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT')).toEqual([]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const result = await simulate({ definitions, processId: YEARLY_BOTTOM_PROCESS, scenario: loaded.scenario as ScenarioFile, years: 3 });
    expect(result.period.end).toBe('2026-12-31T16:00:00.000Z');
    expect(result.rankings['年度排名']?.bottom).toHaveLength(1);
    expect(result.flags['末位']).toBe(1);
  });
});
