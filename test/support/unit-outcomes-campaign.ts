import { minimalCampaign, minimalScenario, office, unit } from './minimal-campaign.js';

/**
 * A campaign whose units' outcomes are counted by hand, shared by the simulator's and the CLI's
 * tests of the per-unit table (issue 21).
 *
 * One task, 报送方案, opens with the phase on 1 January 2024 and is due on 10 January: due when
 * 10 January ends, 11 January 00:00. Three units of three kinds, no members, no chance anywhere
 * (fixed delays, never-done 0 or 1):
 *   u01 及时 does it 2 days after it opens (3 January): on time;
 *   u02 迟缓 does it 15 days after it opens (16 January): 5 days late;
 *   u03 不办 never does it: overdue from 11 January to the end.
 * Overdue, u02 and u03 are each flagged 通报, criticised once (通报批评, criticise) and climb the first
 * rung of the ladder 逾期 (no unit reaches its second, which needs a second overdue task).
 * By hand, in every run: u01 1 on time; u02 1 late, 5 days late (sum and max); u03 1 overdue, 0 days
 * late. Over any number of runs: u03's chance of a task never done 1, u02's and u01's 0; the chance of
 * a missed deadline 1 for u02 and u03, 0 for u01; expected days late 5 for u02, 0 for the others. The
 * deadline: 3 tasks, 1 late with 5 days: 5 days per late completion, 5 / 3 = 1.6667 per task.
 */
export const UNIT_OUTCOMES_CAMPAIGN = minimalCampaign({
  id: '单位结果',
  roles: [office('办公室'), unit('单位', '各单位')],
  blocks: `
    start: 2024-01-01
    end: 2024-06-30
    flags:
      - { id: 通报, title: 逾期被通报, subject: unit }
    actions:
      - { id: 通报批评, title: 通报批评, effect: criticise }
      - { id: 约谈, title: 约谈, effect: admonish }`,
  phases: [{ id: '实施', window: '1月至6月', body: `
    tasks:
      - { id: 报送方案, title: 报送实施方案, owner: 单位, due: 1月10日 }` }],
  after: `
    ladders:
      - id: 逾期
        title: 逾期一次约谈
        on: { event: task-overdue }
        subject: unit
        rungs:
          - { level: 1, actions: [约谈] }
          - { level: 2, actions: [约谈] }
    consequences:
      - id: 逾期通报
        title: 逾期的单位通报批评
        on: { event: task-overdue }
        subject: unit
        flags: [通报]
        actions: [通报批评]`,
});

export const UNIT_OUTCOMES_SCENARIO = minimalScenario({
  id: '三类单位',
  seed: 11,
  units: 3,
  top: `
    title: 三类单位
    process: 单位结果`,
  organisation: 'kinds: [{ id: 及时, share: 1 }, { id: 迟缓, share: 1 }, { id: 不办, share: 1 }]',
  behaviour: 'tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }',
  kinds: `
    迟缓: { tasks: { delay: { kind: fixed, mean: 15 }, neverProbability: 0 } }
    不办: { tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 1 } }`,
});
