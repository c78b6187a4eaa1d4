import { parseProcessText, validateParsedFiles, validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { compareScenarios, deadlineRisks, loadScenarioFile, monteCarlo, renderReport, simulate, unitsByRisk, unitTable, validateScenarioText, type MonteCarloResult, type ScenarioFile } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { GRADED_PROCESS, gradedCampaign, gradedScenario } from '../../../test/support/graded-campaign.js';
import { minimalScenario } from '../../../test/support/minimal-campaign.js';
import { UNIT_OUTCOMES_CAMPAIGN as CAMPAIGN, UNIT_OUTCOMES_SCENARIO as SCENARIO } from '../../../test/support/unit-outcomes-campaign.js';
import { YEARLY_BOTTOM_CAMPAIGN, YEARLY_BOTTOM_PROCESS } from '../../../test/support/yearly-bottom-campaign.js';

/*
 * What happens to each unit (issue 21: the per-unit table), on the campaign of
 * test/support/unit-outcomes-campaign.ts whose figures are counted by hand there: u01 on time, u02
 * always 5 days late, u03 never done.
 */
function definitions() {
  const result = validateParsedFiles([parseProcessText(CAMPAIGN, 'c.yaml')]);
  if (!result.campaigns.has('单位结果')) throw new Error(JSON.stringify(result.diagnostics));
  return result;
}

function scenario(): ScenarioFile {
  const checked = validateScenarioText(SCENARIO, 's.yaml');
  if (!checked.scenario) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.scenario;
}

describe('what happens to each unit', () => {
  it('when one run is simulated, then each unit holds its tasks, days late, flags, effects and rungs as counted by hand', async () => {
    const result = await simulate({ definitions: definitions(), processId: '单位结果', scenario: scenario() });
    expect(result.units).toEqual({
      u01: { tasks: { onTime: 1, late: 0, overdue: 0, open: 0 }, daysLate: { sum: 0, max: 0 }, flags: {}, effects: {}, ladders: {} },
      u02: {
        tasks: { onTime: 0, late: 1, overdue: 0, open: 0 },
        daysLate: { sum: 5, max: 5 },
        flags: { 通报: 1 },
        effects: { admonish: 1, criticise: 1 },
        ladders: { 逾期: 1 },
      },
      u03: {
        tasks: { onTime: 0, late: 0, overdue: 1, open: 0 },
        daysLate: { sum: 0, max: 0 },
        flags: { 通报: 1 },
        effects: { admonish: 1, criticise: 1 },
        ladders: { 逾期: 1 },
      },
    });
    // The office is no unit of the table; the deadline's days late are u02's 5.
    expect(result.deadlines['报送方案']).toMatchObject({ total: 3, onTime: 1, late: 1, overdue: 1, daysLate: 5 });
  });

  it('when three runs are aggregated, then the chances, expected counts and days late per unit and per deadline are the hand figures', async () => {
    const r = await monteCarlo({ definitions: definitions(), processId: '单位结果', scenario: scenario(), runs: 3, threads: 1 });
    const units = r.units ?? {};
    expect(Object.keys(units)).toEqual(['u01', 'u02', 'u03']);
    const one = { mean: 1, p5: 1, p95: 1 };
    const zero = { mean: 0, p5: 0, p95: 0 };
    const five = { mean: 5, p5: 5, p95: 5 };
    expect(units['u01']).toMatchObject({ runs: 3, onTime: one, overdueChance: 0, missedChance: 0, daysLate: zero, maxDaysLate: zero, flags: {}, effects: {}, ladders: {} });
    expect(units['u02']).toMatchObject({
      runs: 3,
      late: one,
      overdue: zero,
      overdueChance: 0,
      missedChance: 1,
      daysLate: five,
      maxDaysLate: five,
      flags: { 通报: 1 },
      effects: { criticise: { chance: 1, count: one }, admonish: { chance: 1, count: one } },
      // The second rung is never reached: it is not listed.
      ladders: { 逾期: { '1': 1 } },
    });
    expect(units['u03']).toMatchObject({ runs: 3, overdue: one, overdueChance: 1, missedChance: 1, daysLate: zero, flags: { 通报: 1 } });
    expect(r.deadlines['报送方案']).toMatchObject({ daysLate: five, daysLatePerLate: 5, daysLatePerTask: 1.6667 });
    const [risk] = deadlineRisks(r);
    expect(risk).toMatchObject({ item: '报送方案', daysLatePerLate: 5, daysLatePerTask: 1.6667 });
  });

  it('when the unit table is made, then each unit has a row of the hand figures under zh and en headings, the units most at risk first', async () => {
    const r = await monteCarlo({ definitions: definitions(), processId: '单位结果', scenario: scenario(), runs: 2, threads: 1 });
    const table = unitTable(r, 'en');
    expect(table.columns).toEqual([
      'unit',
      'tasks:onTime',
      'tasks:late',
      'tasks:overdue',
      'tasks:open',
      'overdueChance',
      'missedChance',
      'daysLate',
      'maxDaysLate',
      'flag:通报',
      'effect:admonish',
      'effect:criticise',
      'ladder:逾期:1',
      'ladder:逾期:2',
    ]);
    expect(table.rows).toEqual([
      ['u01', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ['u02', 0, 1, 0, 0, 0, 1, 5, 5, 1, 1, 1, 1, 0],
      ['u03', 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0],
    ]);
    expect(table.formats.filter((f) => f === 'share')).toHaveLength(7);
    expect(table.labels).toContain('P(a task never done by the end)');
    expect(table.labels).toContain('days late of late completions, in total (mean, days)');
    expect(unitTable(r, 'zh').labels).toContain('逾期完成天数合计（平均，天）');
    expect(unitTable(r, 'zh').labels).toContain('受到通报批评的概率');
    // Never done first, then late, then on time.
    expect(unitsByRisk(r)).toEqual(['u03', 'u02', 'u01']);
    const html = renderReport(r, { lang: 'zh' });
    const units = html.slice(html.indexOf('id="units-table"'));
    expect(units).toContain('有任务逾期未完成的概率');
    expect(units.indexOf('>u03<')).toBeLessThan(units.indexOf('>u02<'));
    expect(units.indexOf('>u02<')).toBeLessThan(units.indexOf('>u01<'));
    expect(html).toContain('预计逾期天数（每个任务，天）');
  });

  it('when a result written before units and days late were recorded is read, then the report and the tables still come out, without those columns', async () => {
    const r = await monteCarlo({ definitions: definitions(), processId: '单位结果', scenario: scenario(), runs: 1, threads: 1 });
    const { units: _units, ...rest } = r;
    const older: MonteCarloResult = {
      ...rest,
      deadlines: Object.fromEntries(Object.entries(r.deadlines).map(([item, { daysLate: _d, daysLatePerLate: _l, daysLatePerTask: _t, ...d }]) => [item, d])),
    };
    expect(unitTable(older, 'en').columns).toEqual(['unit']);
    expect(unitsByRisk(older)).toEqual([]);
    expect(deadlineRisks(older)[0]).not.toHaveProperty('daysLatePerTask');
    const html = renderReport(older, { lang: 'en' });
    expect(html).toContain('does not record days late');
    expect(html).not.toContain('P(a task never done by the end)');
  });
});

describe('days late compared between scenarios', () => {
  it('when 迟缓 units finish 12 days after opening instead of 15, then the deadline\'s days late differ by exactly 2 − 5 = −3 in every run', async () => {
    const faster = validateScenarioText(SCENARIO.replace('id: 三类单位', 'id: 快一些').replace('{ kind: fixed, mean: 15 }', '{ kind: fixed, mean: 12 }'), 'f.yaml').scenario as ScenarioFile;
    const c = await compareScenarios({ definitions: definitions(), processId: '单位结果', scenarios: [{ scenario: scenario() }, { scenario: faster }], runs: 2, threads: 1 });
    const days = c.metrics.find((m) => JSON.stringify(m.key) === JSON.stringify(['deadlines', '报送方案', 'daysLate']));
    expect(days?.means).toEqual([5, 2]);
    expect(days?.differences[1]).toMatchObject({ mean: -3 });
  });
});

/**
 * Grades and scores per unit: two units scored 95 in both evaluations (好), two 55 (差), so
 * 0.5 × 95 + 0.5 × 95 = 95 → 优秀, 55 → 不合格, in every run; the ranking of units on the same
 * weights ranks them on 95 and 55: the 好 units' mean score 95, the 差 units' 55, the first
 * (top, 1 unit) always one of the two 好 units.
 */
const GRADED = gradedCampaign({ ranking: true });

const GRADED_SCENARIO = gradedScenario();

describe('grades and scores of each unit', () => {
  it('when units scored 95 and 55 are graded and ranked, then each unit has its grade per run, its chance of each grade, its mean score and the grade columns', async () => {
    const inputs = checkedInputs(GRADED, GRADED_SCENARIO, GRADED_PROCESS);
    const one = await simulate(inputs);
    expect(Object.entries(one.units ?? {}).map(([unit, u]) => [unit, u.grades])).toEqual([
      ['u01', { 年度等次: '优秀' }],
      ['u02', { 年度等次: '优秀' }],
      ['u03', { 年度等次: '不合格' }],
      ['u04', { 年度等次: '不合格' }],
    ]);
    const r = await monteCarlo({ ...inputs, runs: 2, threads: 1 });
    expect(r.units?.['u01']?.grades).toEqual({ 年度等次: { 优秀: 1 } });
    expect(r.units?.['u04']?.grades).toEqual({ 年度等次: { 不合格: 1 } });
    expect(r.units?.['u01']?.scores).toEqual({ 年度排名: { mean: 95, p5: 95, p95: 95 } });
    expect(r.units?.['u03']?.scores).toEqual({ 年度排名: { mean: 55, p5: 55, p95: 55 } });
    const table = unitTable(r, 'en');
    const at = (key: string) => table.columns.indexOf(key);
    expect(table.rows.map((row) => [row[0], row[at('年度排名:meanScore')], row[at('grade:年度等次:优秀')], row[at('grade:年度等次:不合格')]])).toEqual([
      ['u01', 95, 1, 0],
      ['u02', 95, 1, 0],
      ['u03', 55, 0, 1],
      ['u04', 55, 0, 1],
    ]);
    expect(table.labels[at('grade:年度等次:合格')]).toBe('P(年度等次: 合格)');
  });
});

describe('items of each unit', () => {
  it('when D2 (贴蓝签、挂黄牌、亮红灯) is simulated, then its units\' items by light at the end add up to the items by light at the last month end, counted apart', async () => {
    const root = new URL('../../../', import.meta.url).pathname;
    const definitions = validateProcessPaths([`${root}examples/directives/d2-guangyuan-lanqian.yaml`]);
    const loaded = loadScenarioFile(`${root}examples/scenarios/d2-baseline.yaml`);
    const result = await simulate({ definitions, processId: [...definitions.campaigns.keys()][0] as string, scenario: loaded.scenario as ScenarioFile });
    const sum = new Map<string, number>();
    for (const unit of Object.values(result.units ?? {})) for (const [light, n] of Object.entries(unit.items ?? {})) sum.set(light, (sum.get(light) ?? 0) + n);
    const last = Object.entries(result.lights?.months.at(-1)?.items ?? {}).filter(([, n]) => n > 0);
    expect(last.length).toBeGreaterThan(0);
    expect(Object.fromEntries(sum)).toEqual(Object.fromEntries(last));
    // Every unit carries its items, with or without any.
    expect(Object.values(result.units ?? {}).every((u) => u.items !== undefined)).toBe(true);
  });
});

/**
 * A span of years ends at a campaign year's end, where flags that last a year lapse: a unit's flags
 * at the end are read where the result's are, just before (see standing-flags.test.ts), so the last
 * year's bottom unit holds 末位 and no other unit holds anything.
 */
const STANDING_SCENARIO = minimalScenario({
  id: '三年',
  seed: 9,
  units: 5,
  behaviour: `
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    scores: { default: { kind: normal, mean: 80, sd: 10 } }`,
});

describe('flags of each unit at the end of a span of years', () => {
  it('when 3 years of a standing mechanism are simulated, then the last year\'s bottom unit holds 末位 at the end and the others nothing', async () => {
    const result = await simulate({ ...checkedInputs(YEARLY_BOTTOM_CAMPAIGN, STANDING_SCENARIO, YEARLY_BOTTOM_PROCESS), years: 3 });
    const [bottom] = result.rankings['年度排名']?.bottom ?? [];
    expect(result.flags['末位']).toBe(1);
    expect(Object.entries(result.units ?? {}).filter(([, u]) => Object.keys(u.flags).length > 0)).toEqual([[bottom, expect.objectContaining({ flags: { 末位: 1 } })]]);
  });
});

