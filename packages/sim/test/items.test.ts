import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * 督办事项 in the simulator (issue 19): items open per unit at the scenario's rate, are resolved after
 * `resolveDays`, and pass their check with `passRate`; the result counts them. With passRate 1 every
 * item checked is struck off and none escalates; with passRate 0 none is struck off and every item
 * checked once is escalated (escalateAfter 1: 县级 → 市级).
 */
const CAMPAIGN = `
kind: campaign
id: 问题销号
title: 问题销号
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 整改办, title: 整改办, level: office }
items:
  - { id: 问题, title: 问题, by: 整改办, levels: [县级, 市级], escalateAfter: 1 }
phases:
  - id: 实施
    title: 实施
    window: 2024-01-01..2024-12-31
    tasks:
      - { id: 台账, title: 台账, owner: 单位, due: 12月31日 }
`;

const scenario = (passRate: number) => `kind: scenario
id: 销号
seed: 7
organisation: { units: 3, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }
    items: { openedPerUnitPerMonth: 2, resolveDays: 10, passRate: ${passRate} }
`;

function inputs(passRate: number) {
  const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);
  expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const loaded = validateScenarioText(scenario(passRate), 'scenario.yaml');
  expect(loaded.diagnostics ?? []).toEqual([]);
  return { definitions, processId: '问题销号', scenario: loaded.scenario as ScenarioFile };
}

describe('items in a simulation (督办事项)', () => {
  it('when every check passes, then items are opened, all sent opened items are counted, most are struck off and none escalates', async () => {
    const result = await simulate(inputs(1));
    const items = result.items;
    expect(items).toBeDefined();
    // Two a month for a year in each of three units: about 72; a Poisson count well above 20.
    expect(items?.opened).toBeGreaterThan(20);
    expect(items?.opened).toBe(result.events.sent['item.opened']);
    expect(items?.escalated).toBe(0);
    expect(items?.closed).toBe(result.events.sent['item.closed']);
    expect((items?.closed ?? 0) + (items?.open ?? 0)).toBe(items?.opened);
    expect(items?.closed).toBeGreaterThan((items?.opened ?? 0) / 2);
  });

  it('when every check fails, then nothing is struck off and every item checked is escalated to 市级', async () => {
    const result = await simulate(inputs(0));
    expect(result.items?.closed).toBe(0);
    expect(result.events.sent['item.closed'] ?? 0).toBe(0);
    expect(result.items?.escalated).toBeGreaterThan(0);
    expect(result.events.rejected).toEqual({});
    const summary = await monteCarlo({ ...inputs(0), runs: 2 });
    expect(summary.items?.closed).toMatchObject({ mean: 0 });
    const html = renderReport(summary, { lang: 'zh' });
    expect(html).toContain('<h2>督办事项</h2>');
    expect(html).toContain('升级挂牌督办');
  });
});
