import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/**
 * Every key of a scenario changes the simulation (issue 18, construct coverage): a scenario that
 * validates with a key the simulator ignored would run as if the key were not there. Each key below
 * is changed alone in a scenario that uses them all, and the run must come out otherwise than the
 * base run with the same seed. test/construct-coverage.test.ts names these tests per key.
 */
const CAMPAIGN = `
kind: campaign
id: 情景键
title: 情景键
source: { title: 测试 }
year: 2024
end: 2024-10-31
subjects: [unit, member]
scale: { units: 8, members: 16 }
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 被通报, title: 被通报, subject: member }
actions:
  - { id: 整改通知, title: 整改通知书, effect: notify }
  - { id: 谈话, title: 谈话提醒, effect: admonish }
  - { id: 表彰, title: 表彰, effect: commend }
phases:
  - id: 试点
    title: 试点
    window: 3月
    exit: decision
    tasks:
      - { id: 试点方案, title: 试点方案, owner: 单位, due: 3月20日 }
    decisions:
      - id: 是否推广
        title: 是否推广
        by: 办公室
        options:
          - { id: 推广, next: 实施 }
          - { id: 结束, next: end }
  - id: 实施
    title: 实施
    window: 4月至10月
    tasks:
      - { id: 实施方案, title: 实施方案, owner: 单位, due: 实施后10个工作日内 }
      - { id: 个人承诺, title: 个人承诺, owner: 党员, subject: member, due: 9月30日 }
    evaluations:
      - { id: 评议, title: 评议, by: 办公室, due: 9月20日 }
      - { id: 自评, title: 自评, by: 办公室, due: 9月20日 }
    inspections:
      - { id: 督查, title: 督查, by: 办公室, rectifyWithin: 10天, onFinding: { actions: [整改通知] } }
ladders:
  - id: 投诉
    title: 投诉
    on: { event: complaint-verified }
    rungs:
      - { level: 1, actions: [谈话] }
consequences:
  - { id: 通报, title: 通报, on: { event: notified, when: "event.inspection == '督查'" }, subject: member, flags: [被通报] }
rankings:
  - id: 评比
    title: 评比
    subject: unit
    at: 10月10日
    weights: { 评议: 0.5, 自评: 0.5 }
    top: { count: 2, actions: [表彰] }
`;

const BASE = `kind: scenario
id: 情景键
seed: 5
organisation:
  units: 8
  membersPerUnit: 2
  kinds: [{ id: 窗口, share: 1 }, { id: 科室, share: 1 }]
  nesting: { groups: 2, kind: 片区, members: 1 }
behaviour:
  default:
    tasks: { delay: { kind: uniform, min: 1, max: 20 }, neverProbability: 0.1 }
    scores: { default: { kind: normal, mean: 80, sd: 5 }, evaluations: { 评议: { kind: exponential, mean: 70 } } }
    complaintsPerMemberPerMonth: 0.2
    findingsPerUnitPerMonth: 0.5
    rectification: { onTime: 0.5, late: 0.2, failsReinspection: 0.2 }
    notifications: { perFinding: 0.5, delay: { kind: fixed, mean: 3 }, perMemberPerMonth: 0.1 }
  kinds:
    窗口:
      tasks: { delay: { kind: fixed, mean: 4 }, neverProbability: 0.05 }
      scores: { default: { kind: fixed, mean: 90 } }
      complaintsPerMemberPerMonth: 0.3
      findingsPerUnitPerMonth: 0.8
      rectification: { onTime: 0.6, late: 0.3, failsReinspection: 0.1 }
      notifications: { perFinding: 0.7 }
decisions:
  是否推广: { options: { 推广: 1 }, delay: { kind: fixed, mean: 3 } }
`;

const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'campaign.yaml')]);

/** The run of a scenario text, as JSON (its bytes are what a planner compares). */
async function run(text: string): Promise<string> {
  const loaded = validateScenarioText(text, 'scenario.yaml');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return JSON.stringify(await simulate({ definitions, processId: '情景键', scenario: loaded.scenario as ScenarioFile }));
}

/** Each variant: the scenario key it changes, and the text replaced in the base scenario (once). */
type Variant = readonly [path: string, from: string, to: string];

/** The keys whose change did not change the run. */
async function unchanged(variants: readonly Variant[]): Promise<string[]> {
  const base = await run(BASE);
  const same: string[] = [];
  for (const [path, from, to] of variants) {
    expect(BASE.split(from), `${path}: "${from}" is in the base scenario once`).toHaveLength(2);
    if ((await run(BASE.replace(from, to))) === base) same.push(path);
  }
  return same;
}

describe('every key of a scenario changes the simulation', () => {
  it('when the campaign is read, then it is valid', () => {
    expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('when a key of the generated organisation is changed, then the run changes', async () => {
    const variants: Variant[] = [
      ['Scenario.organisation', 'units: 8\n', 'units: 9\n'],
      ['GeneratedOrganisation.units', 'units: 8\n', 'units: 6\n'],
      ['GeneratedOrganisation.membersPerUnit', 'membersPerUnit: 2', 'membersPerUnit: 3'],
      ['GeneratedOrganisation.kinds', 'kinds: [{ id: 窗口, share: 1 }, { id: 科室, share: 1 }]', 'kinds: [{ id: 窗口, share: 1 }, { id: 科室, share: 1 }, { id: 其他, share: 2 }]'],
      // The kinds in the other order: the first block of units is 科室 now, the second 窗口.
      ['UnitKindShare.id', '{ id: 窗口, share: 1 }, { id: 科室, share: 1 }', '{ id: 科室, share: 1 }, { id: 窗口, share: 1 }'],
      ['UnitKindShare.share', '{ id: 窗口, share: 1 }', '{ id: 窗口, share: 3 }'],
      ['GeneratedOrganisation.nesting', '  nesting: { groups: 2, kind: 片区, members: 1 }\n', ''],
      ['Nesting.groups', 'groups: 2', 'groups: 3'],
      ['Nesting.kind', 'kind: 片区', 'kind: 窗口'],
      ['Nesting.members', 'kind: 片区, members: 1', 'kind: 片区, members: 2'],
    ];
    expect(await unchanged(variants)).toEqual([]);
  });

  it('when a key of how units behave is changed, by default or for a kind of unit, then the run changes', async () => {
    const variants: Variant[] = [
      ['BehaviourSet.kinds', '  kinds:\n    窗口:\n', '  kinds:\n    科室:\n'],
      ['TaskBehaviour.delay', 'delay: { kind: uniform, min: 1, max: 20 }', 'delay: { kind: uniform, min: 1, max: 2 }'],
      ['TaskBehaviour.neverProbability', 'neverProbability: 0.1', 'neverProbability: 0.4'],
      ['Behaviour.scores', 'scores: { default: { kind: normal, mean: 80, sd: 5 }, evaluations: { 评议: { kind: exponential, mean: 70 } } }', 'scores: { default: { kind: fixed, mean: 50 } }'],
      ['ScoreBehaviour.default', 'default: { kind: normal, mean: 80, sd: 5 }', 'default: { kind: normal, mean: 60, sd: 5 }'],
      ['ScoreBehaviour.evaluations', 'evaluations: { 评议: { kind: exponential, mean: 70 } }', 'evaluations: {}'],
      ['Behaviour.rectification', 'rectification: { onTime: 0.5, late: 0.2, failsReinspection: 0.2 }', 'rectification: { onTime: 1, late: 0, failsReinspection: 0 }'],
      ['RectificationBehaviour.onTime', 'onTime: 0.5,', 'onTime: 0.3,'],
      ['RectificationBehaviour.late', 'late: 0.2,', 'late: 0.05,'],
      ['RectificationBehaviour.failsReinspection', 'failsReinspection: 0.2 }', 'failsReinspection: 0 }'],
      ['Behaviour.complaintsPerMemberPerMonth', 'complaintsPerMemberPerMonth: 0.2', 'complaintsPerMemberPerMonth: 0'],
      ['Behaviour.findingsPerUnitPerMonth', 'findingsPerUnitPerMonth: 0.5', 'findingsPerUnitPerMonth: 2'],
      ['Behaviour.notifications', '    notifications: { perFinding: 0.5, delay: { kind: fixed, mean: 3 }, perMemberPerMonth: 0.1 }\n', ''],
      ['NotificationBehaviour.perFinding', 'perFinding: 0.5,', 'perFinding: 1,'],
      ['NotificationBehaviour.delay', 'delay: { kind: fixed, mean: 3 }, perMemberPerMonth', 'delay: { kind: fixed, mean: 40 }, perMemberPerMonth'],
      ['NotificationBehaviour.perMemberPerMonth', 'perMemberPerMonth: 0.1', 'perMemberPerMonth: 0.5'],
      ['Distribution.kind', '{ kind: uniform, min: 1, max: 20 }', '{ kind: fixed, min: 1, max: 20, mean: 5 }'],
      ['Distribution.min', 'min: 1, max: 20', 'min: 8, max: 20'],
      ['Distribution.max', 'min: 1, max: 20', 'min: 1, max: 60'],
      ['Distribution.mean', 'kind: normal, mean: 80, sd: 5', 'kind: normal, mean: 70, sd: 5'],
      ['Distribution.sd', 'kind: normal, mean: 80, sd: 5', 'kind: normal, mean: 80, sd: 15'],
      ['BehaviourOverride.tasks', 'tasks: { delay: { kind: fixed, mean: 4 }, neverProbability: 0.05 }', 'tasks: { delay: { kind: fixed, mean: 30 }, neverProbability: 0.05 }'],
      ['BehaviourOverride.scores', 'scores: { default: { kind: fixed, mean: 90 } }', 'scores: { default: { kind: fixed, mean: 40 } }'],
      ['BehaviourOverride.complaintsPerMemberPerMonth', 'complaintsPerMemberPerMonth: 0.3', 'complaintsPerMemberPerMonth: 1'],
      ['BehaviourOverride.findingsPerUnitPerMonth', 'findingsPerUnitPerMonth: 0.8', 'findingsPerUnitPerMonth: 3'],
      ['Behaviour.findingsPerMonth', 'findingsPerUnitPerMonth: 0.5', 'findingsPerUnitPerMonth: 0.5\n    findingsPerMonth: { 督查: 3 }'],
      ['BehaviourOverride.findingsPerMonth', 'findingsPerUnitPerMonth: 0.8', 'findingsPerUnitPerMonth: 0.8\n      findingsPerMonth: { 督查: 0 }'],
      ['BehaviourOverride.rectification', 'rectification: { onTime: 0.6, late: 0.3, failsReinspection: 0.1 }', 'rectification: { onTime: 0, late: 0, failsReinspection: 1 }'],
      ['BehaviourOverride.notifications', 'notifications: { perFinding: 0.7 }', 'notifications: { perFinding: 0 }'],
    ];
    expect(await unchanged(variants)).toEqual([]);
  });

  it('when how a decision is taken is changed, then the run changes', async () => {
    const variants: Variant[] = [
      ['DecisionBehaviour.delay', '推广: 1 }, delay: { kind: fixed, mean: 3 }', '推广: 1 }, delay: { kind: fixed, mean: 45 }'],
      ['DecisionBehaviour.options', '{ 推广: 1 }', '{ 结束: 1 }'],
      ['Scenario.decisions', 'decisions:\n  是否推广: { options: { 推广: 1 }, delay: { kind: fixed, mean: 3 } }\n', ''],
    ];
    expect(await unchanged(variants)).toEqual([]);
  });

  it('when the scenario’s id or seed is changed, then the result says so or comes out otherwise', async () => {
    const variants: Variant[] = [
      ['Scenario.id', 'id: 情景键\n', 'id: 另一情景\n'],
      ['Scenario.seed', 'seed: 5', 'seed: 6'],
    ];
    expect(await unchanged(variants)).toEqual([]);
  });
});
