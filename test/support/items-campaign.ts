import { minimalCampaign, minimalScenario, office, unit } from './minimal-campaign.js';

/**
 * 督办事项 tracked to closure (销号), shared by the simulator's item tests, its report and its
 * comparisons: each unit keeps a 台账 due 31 December 2024; 整改办 checks every item resolved, striking
 * it off when it passes and escalating it (县级 → 市级) at its first failed check (`escalateAfter: 1`).
 */
export const ITEMS_CAMPAIGN = minimalCampaign({
  id: '问题销号',
  roles: [unit('单位', '各单位'), office('整改办')],
  blocks: `
    items:
      - { id: 问题, title: 问题, by: 整改办, levels: [县级, 市级], escalateAfter: 1 }`,
  phases: [{ id: '实施', window: '2024-01-01..2024-12-31', body: `
    tasks:
      - { id: 台账, title: 台账, owner: 单位, due: 12月31日 }` }],
});

/**
 * Three units (seed 7) doing their 台账 in 10 days, each opening 2 items a month, resolved 10 days after
 * opening and passing their check with `passRate`; `more` adds keys to the items' behaviour.
 */
export function itemsScenario(passRate: number, { id = '销号', more = '' }: { id?: string; more?: string } = {}): string {
  return minimalScenario({
    id,
    seed: 7,
    units: 3,
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }
      items: { openedPerUnitPerMonth: 2, resolveDays: 10, passRate: ${passRate}${more ? `, ${more}` : ''} }`,
  });
}
