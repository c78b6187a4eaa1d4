import type { HostEvent } from '@luoshi/engine';
import { describe, expect, it } from 'vitest';
import { compareScenarios, monteCarlo, simulate, validateScenarioText, type SentEvent } from '@luoshi/sim';
import { checkedInputs } from '../../../test/support/checked-inputs.js';
import { minimalCampaign, minimalScenario, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * 督办事项 with targets and due days in the simulator (issue 19, D6 项目亮牌): the run opens items with
 * the scenario's target and due day, and at the start of every month reports each open item's
 * progress for the months of 2024 gone by, the month's growth of the pro-rata plan times the drawn
 * `progress` share. The engine lights the item against the plan: at or above it green, short by no
 * more than half yellow, by more red; `escalateAfterReds: 2` escalates at every second red in a row.
 * Items are never resolved in these runs (`resolveDays` far beyond the year).
 */
const CAMPAIGN = minimalCampaign({
  id: '项目督办',
  roles: [office('投资办'), unit('业主', '业主单位')],
  blocks: `
    items:
      - { id: 重点项目, title: 重点项目, by: 投资办, levels: [区级, 市级, 省级], escalateAfterReds: 2 }`,
  phases: [{ id: '推进', window: '1月1日至12月31日', body: `
    tasks:
      - { id: 年度报告, title: 年度报告, owner: 业主, due: 12月31日 }` }],
});

/** `items` the default behaviour's items; `kinds` (if any) the behaviour of 乙类, units of two kinds. */
const scenario = (items: string, kinds?: string) =>
  minimalScenario({
    id: '项目',
    seed: 11,
    units: 4,
    ...(kinds ? { organisation: 'kinds: [{ id: 甲类, share: 1 }, { id: 乙类, share: 1 }]', kinds } : {}),
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }
      items: { ${items} }`,
  });

const inputs = (text: string) => checkedInputs(CAMPAIGN, text, '项目督办');

const NEVER_RESOLVED = 'openedPerUnitPerMonth: 0.5, resolveDays: 100000, passRate: 1, target: { kind: fixed, mean: 1200 }';

/** The run with every event it sent. */
async function run(text: string) {
  const sent: SentEvent[] = [];
  const result = await simulate({ ...inputs(text), onSent: (s) => sent.push(s) });
  return { result, sent };
}

/** Progress reports per item (`instance item`). */
function reportsPerItem(sent: readonly SentEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sent) if (s.event.type === 'item.progress') out.set(`${s.instanceId} ${s.event.item}`, (out.get(`${s.instanceId} ${s.event.item}`) ?? 0) + 1);
  return out;
}

describe('item progress in a simulation (督办事项, 项目亮牌)', () => {
  it('when every unit keeps to the plan (progress 1), then no item is ever yellow or red and none escalates', async () => {
    const { result, sent } = await run(scenario(`${NEVER_RESOLVED}, progress: { kind: fixed, mean: 1 }`));
    expect(result.events.rejected).toEqual({});
    expect(result.items?.opened).toBeGreaterThan(5);
    expect(result.events.sent['item.progress']).toBeGreaterThan(5);
    // Every report is exactly at the pro-rata share: 1,200 × k/12 on the first of month k + 1.
    for (const s of sent) {
      if (s.event.type !== 'item.progress') continue;
      const month = new Date(s.at + 8 * 3_600_000).getUTCMonth();
      expect(s.event.done).toBeCloseTo((1200 * month) / 12, 9);
    }
    expect(result.lights?.months).toHaveLength(12);
    for (const m of result.lights?.months ?? []) expect(m.items).toMatchObject({ red: 0, yellow: 0 });
    expect(result.lights?.months.at(-1)?.items?.green).toBe(result.items?.opened);
    expect(result.items?.escalated).toBe(0);
    expect(result.effects['item-escalated'] ?? 0).toBe(0);
  });

  it('when every unit reaches 30% of the plan, then every item reported is red (70% short) and each second red in a row escalates it, to 省级 at most', async () => {
    const { result, sent } = await run(scenario(`${NEVER_RESOLVED}, progress: { kind: fixed, mean: 0.3 }`));
    const reports = reportsPerItem(sent);
    expect(reports.size).toBeGreaterThan(5);
    // At the end every item reported at least once is red; one opened after the last report (1 December) is still green.
    const end = result.lights?.months.at(-1)?.items;
    expect(end).toEqual({ red: reports.size, yellow: 0, green: (result.items?.opened ?? 0) - reports.size, blue: 0 });
    // k reds in a row: floor(k / 2) escalations, at most two (区级 → 市级 → 省级).
    const escalations = [...reports.values()].reduce((n, k) => n + Math.min(2, Math.floor(k / 2)), 0);
    expect(result.effects['item-escalated']).toBe(escalations);
    expect(result.items?.escalated).toBe([...reports.values()].filter((k) => k >= 2).length);
    // Month by month, the items opened and escalated add up to the run's; the first escalations come with the 1 March report (a second red).
    const sum = (field: 'opened' | 'closed' | 'escalated') => result.monthly.reduce((n, m) => n + (m.items?.[field] ?? 0), 0);
    expect(sum('opened')).toBe(result.items?.opened);
    expect(sum('closed')).toBe(0);
    expect(sum('escalated')).toBe(escalations);
    expect(result.monthly.slice(0, 2).map((m) => m.items?.escalated)).toEqual([0, 0]);
  });

  it('when one kind of unit keeps to the plan and the other reaches 30%, then only the second kind’s items are red', async () => {
    const kinds = `乙类: { items: { ${NEVER_RESOLVED}, progress: { kind: fixed, mean: 0.3 } } }`;
    const { result, sent } = await run(scenario(`${NEVER_RESOLVED}, progress: { kind: fixed, mean: 1 }`, kinds));
    // Units get kinds in blocks: u01, u02 甲类, u03, u04 乙类.
    const done = (unit: string) => sent.filter((s) => s.event.type === 'item.progress' && s.instanceId.endsWith(unit)).map((s) => s.event as Extract<HostEvent, { type: 'item.progress' }>);
    expect(done('u01').length + done('u02').length).toBeGreaterThan(0);
    expect(done('u03').length + done('u04').length).toBeGreaterThan(0);
    const reported = new Set(sent.filter((s) => s.event.type === 'item.progress' && (s.instanceId.endsWith('u03') || s.instanceId.endsWith('u04'))).map((s) => `${s.instanceId} ${(s.event as { item: string }).item}`));
    expect(result.lights?.months.at(-1)?.items?.red).toBe(reported.size);
  });

  it('when items are given a target and a due day, then each is opened with the target and the due day that many days after its opening', async () => {
    const { sent } = await run(scenario('openedPerUnitPerMonth: 1, resolveDays: 20, passRate: 1, target: { kind: uniform, min: 500, max: 800 }, dueDays: { kind: fixed, mean: 10 }'));
    const opened = sent.filter((s) => s.event.type === 'item.opened').map((s) => ({ at: s.at, event: s.event as Extract<HostEvent, { type: 'item.opened' }> }));
    expect(opened.length).toBeGreaterThan(10);
    const lastDay = Date.UTC(2024, 11, 31);
    for (const { at, event } of opened) {
      expect(event.target).toBeGreaterThanOrEqual(500);
      expect(event.target).toBeLessThanOrEqual(800);
      // The day of opening in Shanghai, plus ten days, no later than 31 December.
      const day = new Date(at + 8 * 3_600_000);
      const due = Math.min(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 10), lastDay);
      expect(event.due).toBe(new Date(due).toISOString().slice(0, 10));
    }
  });

  it('when a scenario gives no progress, then items with targets get no report and keep their first light', async () => {
    const { result } = await run(scenario(NEVER_RESOLVED));
    expect(result.events.sent['item.progress'] ?? 0).toBe(0);
    expect(result.lights?.months.at(-1)?.items).toEqual({ red: 0, yellow: 0, green: result.items?.opened, blue: 0 });
  });

  it('when the office labels items without a target blue or green at its roll-calls, then every item labelled ends blue or green, both kinds of label given', async () => {
    const { result, sent } = await run(scenario('openedPerUnitPerMonth: 1, resolveDays: 100000, passRate: 1, labels: { blue: 0.5, green: 0.5 }'));
    const labels = sent.filter((s) => s.event.type === 'item.assessed').map((s) => s.event as Extract<HostEvent, { type: 'item.assessed' }>);
    expect(new Set(labels.map((l) => l.light))).toEqual(new Set(['blue', 'green']));
    // Roll-calls from 1 February: an item handed out before the last (1 December) has a label, the rest none.
    const labelled = new Set(labels.map((l) => l.item + sent.find((s) => s.event === l)?.instanceId));
    const end = result.lights?.months.at(-1)?.items;
    expect((end?.blue ?? 0) + (end?.green ?? 0)).toBe(labelled.size);
    expect(end).toMatchObject({ red: 0, yellow: 0 });
  });

  it('when the labels’ probabilities add up to more than 1, then the scenario is refused with SIM_LABELS_OVER_ONE in both languages', () => {
    const loaded = validateScenarioText(scenario('openedPerUnitPerMonth: 1, resolveDays: 10, passRate: 1, labels: { blue: 0.7, red: 0.4 }'), 'scenario.yaml');
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.map((d) => [d.code, d.pointer, d.message.zh, d.message.en])).toEqual([
      ['SIM_LABELS_OVER_ONE', '/behaviour/default/items/labels', '各种标签的概率之和为 1.1，超过了 1', 'the probabilities of the labels add up to 1.1, more than 1'],
    ]);
  });

  it('when many runs are aggregated or compared, then the items by light at each month end are spreads and metrics', async () => {
    const options = inputs(scenario(`${NEVER_RESOLVED}, progress: { kind: fixed, mean: 0.3 }`));
    const summary = await monteCarlo({ ...options, runs: 2, threads: 1 });
    expect(summary.lights?.months.at(-1)?.items?.yellow).toEqual({ mean: 0, p5: 0, p95: 0 });
    expect(summary.lights?.months.at(-1)?.items?.red?.mean).toBeGreaterThan(0);
    // Two scenarios of their own ids: one id for two different scenarios is SIM_DUPLICATE_SCENARIO_ID.
    const c = await compareScenarios({ definitions: options.definitions, processId: '项目督办', scenarios: [{ scenario: options.scenario }, { scenario: { ...inputs(scenario(`${NEVER_RESOLVED}, progress: { kind: fixed, mean: 1 }`)).scenario, id: '项目-按时' } }], runs: 2, threads: 1 });
    const red = c.metrics.find((m) => m.key.join('/') === 'items/red');
    expect(red?.means[0]).toBeGreaterThan(0);
    expect(red?.means[1]).toBe(0);
  });
});
