import { parseProcessText, validateParsedFiles, validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { compareScenarios, deriveSeeds, formatDifference, hiddenNote, loadScenarioFile, metricLabel, shownMetrics, type ScenarioComparison, monteCarlo, pairedDifference, renderReport, tQuantile975, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { ITEMS_CAMPAIGN, itemsScenario } from '../../../test/support/items-campaign.js';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '三型机关动员月';

/** A seed-000 scenario on a small organisation (the comparison, not the organisation, is under test). */
function scenario(name: string): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/000-${name}.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 12, membersPerUnit: 2 } };
}

describe('given the paired t interval', () => {
  it('when the differences are 2, 1, 3, 1, then it is 1.75 ± 3.182446·√(2.75/3)/√4 = [0.2265, 3.2735], significant', () => {
    // Hand arithmetic: d = (3−1, 3−2, 6−3, 5−4); mean 7/4; squared deviations .0625 + .5625 + 1.5625 + .5625 = 2.75;
    // s² = 2.75/3; t(0.975, 3) = 3.182446 (table); half-width 3.182446 · 0.957427 / 2 = 1.52348.
    const d = pairedDifference([1, 2, 3, 4], [3, 3, 6, 5]);
    expect(d).toEqual({ pairs: 4, mean: 1.75, low: 0.2265, high: 3.2735, significant: true });
  });

  it('when the differences straddle 0, then the interval holds 0 and is not significant', () => {
    // d = (1, −1): mean 0, s = √2, half-width 12.706205 · √2 / √2 = 12.7062.
    expect(pairedDifference([0, 1], [1, 0])).toEqual({ pairs: 2, mean: 0, low: -12.7062, high: 12.7062, significant: false });
  });

  it('when there is one pair only, then there is no interval and nothing is significant', () => {
    expect(pairedDifference([1], [4])).toEqual({ pairs: 1, mean: 3, low: null, high: null, significant: false });
  });

  it('when a run lacks the value in either scenario, then that run is no pair', () => {
    // Pairs (1→2) and (3→5): d = 1, 2.
    expect(pairedDifference([1, undefined, 3], [2, 7, 5]).pairs).toBe(2);
  });

  it('when t(0.975, ν) is asked beyond the table, then it is within 1e-4 of the printed values', () => {
    expect(tQuantile975(3)).toBe(3.182446);
    // Table values: ν = 40 → 2.021075, 60 → 2.000298, 120 → 1.979930.
    expect(Math.abs(tQuantile975(40) - 2.021075)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile975(60) - 2.000298)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile975(120) - 1.97993)).toBeLessThan(1e-4);
    expect(() => tQuantile975(0)).toThrow(RangeError);
  });
});

describe('given seed 000 compared under common random numbers', () => {
  const RUNS = 6;

  it('when a scenario is compared with itself, then every difference is exactly 0 and none is significant', async () => {
    const base = scenario('baseline');
    const c = await compareScenarios({ definitions, processId: PROCESS, scenarios: [{ scenario: base }, { scenario: base }], runs: RUNS, seed: 5, threads: 1 });
    expect(c.seeds).toEqual(deriveSeeds(5, RUNS));
    expect(c.metrics.length).toBeGreaterThan(10);
    for (const m of c.metrics) {
      expect(m.means[1]).toBe(m.means[0]);
      expect(m.differences[0]).toBeNull();
      const d = m.differences[1];
      expect(d?.mean).toBe(0);
      if (d?.pairs !== undefined && d.pairs >= 2) {
        expect(d.low).toBe(0);
        expect(d.high).toBe(0);
      }
      expect(d?.significant).toBe(false);
    }
  });

  it('when lax is compared with diligent, then on-time completions are significantly higher under diligent, and each side equals its own Monte Carlo', async () => {
    const [lax, diligent] = [scenario('lax'), scenario('diligent')];
    const c = await compareScenarios({ definitions, processId: PROCESS, scenarios: [{ scenario: lax }, { scenario: diligent }], runs: RUNS, seed: 5, threads: 2 });
    expect(c.scenarios).toEqual(['000-lax', '000-diligent']);
    // Diligent: work within ~2 days (exponential, mean 2) and never left undone; lax: two weeks
    // against windows of ten to twenty days with a tenth never done. Every item's on-time count rises.
    const onTime = c.metrics.filter((m) => m.key[0] === 'deadlines' && m.key[2] === 'onTime');
    expect(onTime.length).toBeGreaterThan(0);
    const total = (i: number) => onTime.reduce((sum, m) => sum + (m.means[i] ?? 0), 0);
    expect(total(1)).toBeGreaterThan(total(0));
    const significant = onTime.filter((m) => m.differences[1]?.significant && (m.differences[1]?.mean ?? 0) > 0);
    expect(significant.length).toBeGreaterThan(0);
    // Never-done tasks: diligent's neverProbability is 0, so its side of every overdue count is below lax's.
    for (const m of c.metrics.filter((x) => x.key[0] === 'deadlines' && x.key[2] === 'overdue' && (x.means[0] ?? 0) > 0)) expect(m.means[1]).toBeLessThan(m.means[0] as number);
    // The same seeds give each scenario the result monteCarlo gives it alone.
    const alone = await monteCarlo({ definitions, processId: PROCESS, scenario: diligent, runs: RUNS, seed: 5, threads: 1 });
    expect(JSON.stringify(c.results[1])).toBe(JSON.stringify(alone));
    // The report's comparison view tints exactly the significant differences.
    const html = renderReport(c.results[0] as NonNullable<(typeof c.results)[0]>, { lang: 'en', comparison: c });
    const marked = c.metrics.filter((m) => m.differences[1]?.significant).length;
    expect((html.match(/class="num sig"/g) ?? []).length).toBe(marked);
    expect(html).toContain('<h2>Scenario comparison</h2>');
  });

  it('when fewer than two scenarios are given, then it is SIM_TOO_FEW_SCENARIOS', async () => {
    await expect(compareScenarios({ definitions, processId: PROCESS, scenarios: [{ scenario: scenario('lax') }], runs: 2 })).rejects.toMatchObject({ code: 'SIM_TOO_FEW_SCENARIOS' });
  });
});

describe('given metric labels and differences as text', () => {
  it('when a key is labelled, then only the fixed field is translated, never an id from the process', () => {
    expect(metricLabel(['deadlines', 'total', 'onTime'], 'zh')).toBe('时限 total 按时办结');
    expect(metricLabel(['overdueByPhase', 'open'], 'en')).toBe('overdue tasks in phase open');
    expect(metricLabel(['rankings', 'r', 'bottom', '__proto__'], 'en')).toBe('ranking r share in bottom band __proto__');
    expect(metricLabel(['lights', '2026-03', 'red'], 'zh')).toBe('月末亮灯 2026-03 红灯');
  });

  it('when a difference is formatted, then it is signed, bracketed and starred when significant', () => {
    expect(formatDifference({ pairs: 4, mean: 1.75, low: 0.2265, high: 3.2735, significant: true }, 'en')).toBe('+1.75 [0.2265, 3.2735] *');
    expect(formatDifference({ pairs: 1, mean: -3, low: null, high: null, significant: false }, 'zh')).toBe('-3 [无区间]');
  });
});

describe('given a comparison with a ranking of many subjects', () => {
  const flat = { pairs: 3, mean: 0, low: 0, high: 0, significant: false };
  const moved = { pairs: 3, mean: 2, low: 1, high: 3, significant: true };
  const c: ScenarioComparison = {
    processId: 'p', seed: 1, runs: 3, seeds: [1, 2, 3], scenarios: ['a', 'b'], results: [],
    metrics: [
      { key: ['rankings', 'r', 'ranked'], means: [5, 5], differences: [null, flat] },
      { key: ['rankings', 'r', 'rank', 'u1'], means: [1, 3], differences: [null, moved] },
      { key: ['rankings', 'r', 'rank', 'u2'], means: [2, 2], differences: [null, flat] },
      { key: ['rankings', 'r', 'bottom', 'u2'], means: [0, 0], differences: [null, flat] },
    ],
  };

  it('when its tables are drawn, then per-subject rows without a significant difference are left out and counted', () => {
    const { shown, hidden } = shownMetrics(c);
    expect(shown.map((m) => m.key.join('/'))).toEqual(['rankings/r/ranked', 'rankings/r/rank/u1']);
    expect(hidden).toBe(2);
    expect(hiddenNote(hidden, 'en')).toContain('2 per-subject ranking rows');
  });
});

describe('given items tracked to closure (督办事项) compared', () => {
  // The campaign and scenarios of items.test.ts: every check passes, or every check fails (escalateAfter 1).
  const scenarioOf = (id: string, passRate: number) => validateScenarioText(itemsScenario(passRate, { id }), `${id}.yaml`).scenario as ScenarioFile;

  it('when checks always pass against always fail, then closed items drop and escalations rise, both significantly', async () => {
    const definitions = validateParsedFiles([parseProcessText(ITEMS_CAMPAIGN, 'campaign.yaml')]);
    const c = await compareScenarios({ definitions, processId: '问题销号', scenarios: [{ scenario: scenarioOf('pass', 1) }, { scenario: scenarioOf('fail', 0) }], runs: 4, threads: 1 });
    const row = (field: string) => c.metrics.find((m) => m.key.join('/') === `items/${field}`);
    // passRate 0: nothing is struck off (closed 0 in every run), while passRate 1 closes most items.
    expect(row('closed')?.means[1]).toBe(0);
    expect(row('closed')?.differences[1]).toMatchObject({ significant: true });
    expect(row('closed')?.differences[1]?.high).toBeLessThan(0);
    // passRate 1: none escalates; passRate 0: every item checked once escalates.
    expect(row('escalated')?.means[0]).toBe(0);
    expect(row('escalated')?.differences[1]?.low).toBeGreaterThan(0);
    expect(metricLabel(['items', 'escalated'], 'zh')).toBe('督办事项 升级挂牌督办');
  });
});
