import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { GRADED_PROCESS, gradedCampaign, gradedScenario } from '../../../test/support/graded-campaign.js';

/**
 * 等次评定 in the simulator (issue 19): the simulator runs the engine's step, so a grading at 年底
 * grades every unit on the scores the scenario gives. Four units in two kinds of two: 好 scored 95
 * in both evaluations, 差 scored 55 in both, so 0.5 × 95 + 0.5 × 95 = 95 → 优秀 and 55 → 不合格.
 */
const CAMPAIGN = gradedCampaign({ passFlag: true });

const SCENARIO = gradedScenario(['complaintsPerMemberPerMonth: 0', 'findingsPerUnitPerMonth: 0']);

const inputs = () => checkedInputs(CAMPAIGN, SCENARIO, GRADED_PROCESS);

describe('grades in a simulation (等次评定)', () => {
  it('when two units score 95 and two score 55, then the result counts 2 优秀, 0 合格, 2 不合格 at year end, and the pass flag twice', async () => {
    const result = await simulate(inputs());
    expect(result.grades).toEqual({ 年度等次: { 优秀: 2, 合格: 0, 不合格: 2 } });
    expect(result.flags['达标']).toBe(2);
  });

  it('when run three times, then each band’s count is a spread over the runs (mean 2 优秀), and the report has a grades table', async () => {
    const result = await monteCarlo({ ...inputs(), runs: 3, threads: 1 });
    expect(result.grades?.['年度等次']?.['优秀']).toEqual({ mean: 2, p5: 2, p95: 2 });
    expect(result.grades?.['年度等次']?.['合格']).toEqual({ mean: 0, p5: 0, p95: 0 });
    const html = renderReport(result, { lang: 'zh' });
    expect(html).toContain('等次评定');
    expect(html).toContain('不合格');
  });

  it('when a process has no grading, then its result has no grades key (results of other processes keep their bytes)', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN.replace(/grades:[\s\S]*$/, ''), 'campaign.yaml')]);
    const loaded = validateScenarioText(SCENARIO, 'scenario.yaml');
    const result = await simulate({ definitions, processId: GRADED_PROCESS, scenario: loaded.scenario as ScenarioFile });
    expect('grades' in result).toBe(false);
  });
});
