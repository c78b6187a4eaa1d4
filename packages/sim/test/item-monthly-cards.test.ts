import { describe, expect, it } from 'vitest';
import { assumptionsInWords, simulate, validateScenarioText, type ScenarioFile, type SentEvent } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { minimalCampaign, minimalScenario, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * 按月亮牌 in the simulator (D6 片区: "完成月度任务的亮绿牌，未完成的亮黄牌，连续两个月未完成的亮红牌", cards
 * given every month): units that never report (`unreported: 1`) still get their monthly cards where the
 * kind says `every: 每月`. By hand, from the rule: an item opened during month k (the run opens them at
 * Poisson times, never at a month's first instant) owes its first card for month k + 1; nothing is ever
 * reported, so every owed month is a miss — the first, at the turn of month k + 1, yellow; each after it,
 * the second miss running and on, red — up to the turn of December, the campaign's end. Every yellow
 * card brings 提醒 (remind), every red one 约谈 (admonish). Items are never resolved in these runs.
 */
const campaign = (every: string) =>
  minimalCampaign({
    id: '片区亮牌',
    roles: [office('投资办'), unit('片区', '各片区')],
    blocks: `
      actions:
        - { id: 提醒, title: 黄牌提醒, effect: remind }
        - { id: 约谈, title: 红牌约谈, effect: admonish }
      items:
        - { id: 片区投资任务, title: 片区投资任务, by: 投资办, redAfterMisses: 2${every} }`,
    phases: [{ id: '亮牌', window: '1月1日至12月31日' }],
    after: `
      consequences:
        - { id: 黄牌提醒, title: 黄牌提醒, on: { event: item-yellow }, actions: [提醒] }
        - { id: 红牌约谈, title: 红牌约谈, on: { event: item-red }, actions: [约谈] }`,
  });

const scenario = (reporting: string) =>
  minimalScenario({
    id: '片区',
    seed: 7,
    units: 4,
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }
      items: { openedPerUnitPerMonth: 0.5, resolveDays: 100000, passRate: 1, target: { kind: fixed, mean: 1200 }, progress: { kind: fixed, mean: 1 }${reporting} }`,
  });

async function run(every: string, reporting: string) {
  const sent: SentEvent[] = [];
  const result = await simulate({ ...checkedInputs(campaign(every), scenario(reporting), '片区亮牌'), onSent: (s) => sent.push(s) });
  return { result, sent };
}

/** The month (1–12) of 2024 an instant falls in, in Shanghai. */
function monthOf(at: number): number {
  return new Date(at + 8 * 3_600_000).getUTCMonth() + 1;
}

describe('monthly cards in a simulation (按月亮牌)', () => {
  it('when units never report (unreported: 1) on a kind carded every month, then each item opened in month k is yellow at the turn of month k + 1 and red at every turn after, to December', async () => {
    const { result, sent } = await run(', every: 每月', ', unreported: 1');
    expect(result.events.rejected).toEqual({});
    expect(result.events.sent['item.progress'] ?? 0).toBe(0);
    const opened = sent.filter((s) => s.event.type === 'item.opened').map((s) => monthOf(s.at));
    expect(opened.length).toBeGreaterThan(5);
    // Turns of months k + 1 … 12: the first a yellow, the rest red.
    const yellows = opened.filter((k) => k + 1 <= 12).length;
    const reds = opened.reduce((n, k) => n + Math.max(0, 12 - (k + 2) + 1), 0);
    expect(yellows).toBeGreaterThan(0);
    expect(reds).toBeGreaterThan(0);
    expect(result.effects['remind'] ?? 0).toBe(yellows);
    expect(result.effects['admonish'] ?? 0).toBe(reds);
  });

  it('when units never report on a kind without every, then no card is ever given: every item stays green', async () => {
    const { result, sent } = await run('', ', unreported: 1');
    expect(sent.filter((s) => s.event.type === 'item.opened').length).toBeGreaterThan(5);
    expect(result.effects['remind'] ?? 0).toBe(0);
    expect(result.effects['admonish'] ?? 0).toBe(0);
  });

  it('when units report every month on plan (no unreported), then a kind carded every month gives no card at a turn: every report meets the share', async () => {
    const { result, sent } = await run(', every: 每月', '');
    expect(sent.filter((s) => s.event.type === 'item.progress').length).toBeGreaterThan(5);
    expect(result.effects['remind'] ?? 0).toBe(0);
    expect(result.effects['admonish'] ?? 0).toBe(0);
    for (const m of result.lights?.months ?? []) expect(m.items).toMatchObject({ red: 0, yellow: 0 });
  });
});

describe('the report’s assumptions (情景假设)', () => {
  it('when a scenario leaves reports unsent, then the share is written in words in both languages', () => {
    const checked = validateScenarioText(scenario(', unreported: 0.05'), 's.yaml');
    const scenarioFile = checked.scenario as ScenarioFile;
    expect(assumptionsInWords(scenarioFile, 'zh')).toContainEqual(expect.objectContaining({ value: '每月每项5%' }));
    expect(assumptionsInWords(scenarioFile, 'en')).toContainEqual(expect.objectContaining({ value: "5% of an item's monthly reports" }));
  });
});
