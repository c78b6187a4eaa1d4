import { LuoshiError, validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulate, type ScenarioFile, type SentEvent } from '@luoshi/sim';
import { checkedDefinitions as definitionsOf, checkedScenario as load } from '../../../test/support/checked-inputs.js';
import { minimalCampaign, minimalScenario, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * A simulation faithful to the process (issue 21): a completion is booked to the occurrence the run
 * planned it for, findings come at each inspection's own rate, the leading group's decision is one
 * draw for every unit, nothing is sent that a unit's state makes void (closed, waiting for its
 * cohort), refusals above a stated share fail the run, and each task draws from its own stream.
 */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

/** Four units of no members (seed 7) behaving by `lines` (the default behaviour's keys). */
const behaviour = (lines: string) => minimalScenario({ id: '测试', seed: 7, units: 4, behaviour: lines });

describe('given 每月报送学习记录 from April to June, each month due when the next starts, done 40 days after it opens', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '月报',
    roles: [unit('单位', '各单位')],
    phases: [{ id: '实施', window: '4月至6月', body: `
      recurring:
        - { id: 月报, title: 每月报送学习记录, owner: 单位, every: 每月 }` }],
  }));

  it('when the year is simulated, then each report is booked to its own month, late (April on 11 May, May on 10 June), never to the oldest month still open', async () => {
    const sent: SentEvent[] = [];
    const result = await simulate({
      definitions,
      processId: '月报',
      scenario: load(behaviour('    tasks: { delay: { kind: fixed, mean: 40 }, neverProbability: 0 }\n')),
      onSent: (s) => sent.push(s),
    });
    // April's report (opened 1 April) comes on 11 May, after April's due (1 May): late. Booked to the
    // oldest month open and not yet overdue, it would have been May's, on time; May's (10 June) June's.
    // June's would come on 11 July, after the run: overdue. Four units: 8 late, 4 overdue, none on time.
    expect(result.deadlines['月报']).toMatchObject({ total: 12, onTime: 0, late: 8 });
    expect(result.deadlines['月报']?.overdue).toBe(4);
    expect(sent.filter((s) => s.instanceId === 'sim/u01').map((s) => [s.event, s.at])).toEqual([
      [{ type: 'task.completed', task: '月报', period: '2024-04-01' }, shanghai('2024-05-11T00:00:00')],
      [{ type: 'task.completed', task: '月报', period: '2024-05-01' }, shanghai('2024-06-10T00:00:00')],
    ]);
  });
});

describe('given two inspections in one phase, 督查 (its finding a 整改通知, notify) and 暗访 (a 通报批评, criticise)', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '两项检查',
    roles: [office('督查组'), unit('单位', '各单位')],
    blocks: `
      actions:
        - { id: 整改通知, title: 整改通知书, effect: notify }
        - { id: 通报批评, title: 通报批评, effect: criticise }`,
    phases: [{ id: '实施', window: '4月至6月', body: `
      inspections:
        - { id: 督查, title: 督查, by: 督查组, rectifyWithin: 10天, onFinding: { actions: [整改通知] } }
        - { id: 暗访, title: 暗访, by: 督查组, rectifyWithin: 10天, onFinding: { actions: [通报批评] } }` }],
  }));
  const rates = (findings: string) =>
    load(behaviour(`    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }\n    rectification: { onTime: 1, late: 0, failsReinspection: 0 }\n${findings}`));

  it('when only 督查 has a rate of its own (findingsPerMonth) and the shared rate is 0, then every finding is 督查’s: notices, no criticism', async () => {
    const result = await simulate({ definitions, processId: '两项检查', scenario: rates('    findingsPerUnitPerMonth: 0\n    findingsPerMonth: { 督查: 3 }\n') });
    expect(result.events.sent['finding.recorded']).toBeGreaterThan(0);
    expect(result.effects['notify']).toBe(result.events.sent['finding.recorded']);
    expect(result.effects['criticise'] ?? 0).toBe(0);
  });

  it('when only 暗访 has one, then every finding is 暗访’s; findingsPerMonth alone stands for the shared rate', async () => {
    const result = await simulate({ definitions, processId: '两项检查', scenario: rates('    findingsPerMonth: { 暗访: 3 }\n') });
    expect(result.events.sent['finding.recorded']).toBeGreaterThan(0);
    expect(result.effects['criticise']).toBe(result.events.sent['finding.recorded']);
    expect(result.effects['notify'] ?? 0).toBe(0);
  });

  it('when a rate names an inspection the campaign lacks, then simulate refuses it (SIM_UNKNOWN_INSPECTION) rather than never finding', async () => {
    const error = await simulate({ definitions, processId: '两项检查', scenario: rates('    findingsPerUnitPerMonth: 0\n    findingsPerMonth: { 巡查: 3 }\n') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LuoshiError);
    expect((error as LuoshiError).code).toBe('SIM_UNKNOWN_INSPECTION');
    expect((error as LuoshiError).message).toContain('巡查');
  });
});

describe('given a monthly inspection (定期检查, every: 每月) in 4月至6月 over 4 units, with a rate of its own', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '月度督查',
    roles: [office('督查组'), unit('单位', '各单位')],
    phases: [{ id: '实施', window: '4月至6月', body: `
      inspections:
        - { id: 月度督查, title: 每月督查, by: 督查组, every: 每月, rectifyWithin: 10天 }` }],
  }));

  it('when its own rate is 50 a month and the shared one 0, then each of the 12 occurrences finds something (1 − e^−50 ≈ 1)', async () => {
    const scenario = load(behaviour('    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }\n    rectification: { onTime: 1, late: 0, failsReinspection: 0 }\n    findingsPerUnitPerMonth: 0\n    findingsPerMonth: { 月度督查: 50 }\n'));
    const result = await simulate({ definitions, processId: '月度督查', scenario });
    expect(result.events.sent['finding.recorded']).toBe(12);
    expect(result.events.sent['task.completed'] ?? 0).toBe(0);
  });
});

describe('given the leading group’s decision (scope: campaign) with two options of one half each, over 6 units', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '验收',
    roles: [office('办公室'), unit('单位', '各单位')],
    phases: [
      { id: '验收', window: '3月至4月', body: `
        exit: decision
        tasks:
          - { id: 自查, title: 自查报告, owner: 单位, due: 3月20日 }
        decisions:
          - id: 结论
            title: 结论
            by: 办公室
            options:
              - { id: 推广, next: 推广 }
              - { id: 整改, next: end }` },
      { id: '推广', window: '5月至6月' },
    ],
  }));
  const scenario = (scope: string, seed: number) =>
    load(minimalScenario({
      id: '决定',
      seed,
      units: 6,
      behaviour: 'tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }',
      after: `
        decisions:
          结论: { options: { 推广: 0.5, 整改: 0.5 }, delay: { kind: uniform, min: 1, max: 9 }, scope: ${scope} }`,
    }));
  const options = async (scope: string, seed: number) => {
    const taken: string[] = [];
    await simulate({
      definitions,
      processId: '验收',
      scenario: scenario(scope, seed),
      onSent: (s) => {
        if (s.event.type === 'decision.taken') taken.push(s.event.option);
      },
    });
    return taken;
  };

  it('when it is simulated under eight seeds, then in each the office and the 6 units take one and the same option, and both options occur over the seeds', async () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const taken = await options('campaign', seed);
      expect(taken).toHaveLength(7);
      expect(new Set(taken).size).toBe(1);
      seen.add(taken[0] as string);
    }
    // Eight fair draws all alike: 2 · 2⁻⁸ < 1%; the seeds are fixed, so this is a fact of these eight, not a chance.
    expect([...seen].sort()).toEqual(['推广', '整改']);
  });

  it('when each unit decides for itself (scope: unit), then the 6 units’ options differ within one run (not one draw for all)', async () => {
    const taken = await options('unit', 1);
    expect(taken).toHaveLength(6);
    expect(new Set(taken).size).toBe(2);
  });
});

describe('given towns in two batches (第一批 3月1日, 第二批 9月1日) whose members draw verified complaints', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '分批',
    subjects: ['unit', 'member'],
    roles: [office('县办'), unit('镇', '各镇')],
    blocks: `
      cohorts:
        - { id: 第一批, title: 第一批, start: 3月1日 }
        - { id: 第二批, title: 第二批, start: 9月1日 }
      actions:
        - { id: 诫勉, title: 诫勉谈话, effect: admonish }`,
    phases: [{ id: '整治', window: '3月至11月', body: `
      tasks:
        - { id: 方案, title: 实施方案, owner: 镇, due: 整治后20天内 }` }],
    after: `
      consequences:
        - { id: 查实, title: 举报查实, on: { event: complaint-verified }, actions: [诫勉] }`,
  }));
  const scenario = load(minimalScenario({
    id: '分批',
    seed: 3,
    units: 6,
    membersPerUnit: 3,
    organisation: 'cohorts: [{ id: 第一批, share: 0.5 }, { id: 第二批, share: 0.5 }]',
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 5 }, neverProbability: 0 }
      complaintsPerMemberPerMonth: 1`,
  }));

  it('when the year is simulated, then no complaint is sent for a second-batch town before 1 September (it is not at work yet), and nothing is refused', async () => {
    const sent: SentEvent[] = [];
    const result = await simulate({ definitions, processId: '分批', scenario, onSent: (s) => sent.push(s) });
    const complaints = sent.filter((s) => s.event.type === 'complaint.verified');
    // Spread evenly, each unit taking the batch furthest behind its share (a tie: the first listed):
    // u01, u03, u05 the first batch, u02, u04, u06 the second; 3 members × 1 a month.
    const first = complaints.filter((s) => ['sim/u01', 'sim/u03', 'sim/u05'].includes(s.instanceId));
    const second = complaints.filter((s) => ['sim/u02', 'sim/u04', 'sim/u06'].includes(s.instanceId));
    expect(second.length).toBeGreaterThan(0);
    expect(Math.min(...second.map((s) => s.at))).toBeGreaterThanOrEqual(shanghai('2024-09-01T00:00:00'));
    // The first batch is at work from 1 March: about 9 months × 3 members × 1 each, twice the second's 3 months.
    expect(first.length).toBeGreaterThan(second.length);
    expect(result.events.rejected).toEqual({});
  });
});

describe('given a task done after its unit has closed (the campaign ended the day before)', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '收尾',
    roles: [unit('单位', '各单位')],
    phases: [{ id: '实施', window: '4月至6月', body: `
      tasks:
        - { id: 总结, title: 总结报告, owner: 单位, due: 6月30日 }` }],
  }));

  it('when its completion falls in the day the run goes on past the end (1 July, 6:00), then it is not sent: no refusal, the task overdue', async () => {
    // Opened 1 April 00:00; 91.25 days later is 1 July 06:00, after the unit closed with the campaign.
    const result = await simulate({ definitions, processId: '收尾', scenario: load(behaviour('    tasks: { delay: { kind: fixed, mean: 91.25 }, neverProbability: 0 }\n')) });
    expect(result.events.rejected).toEqual({});
    expect(result.events.sent['task.completed'] ?? 0).toBe(0);
    expect(result.deadlines['总结']).toMatchObject({ total: 4, overdue: 4 });
  });
});

describe('given an inspection of members, whose loops the engine’s state does not list, found far more often than it is rectified', () => {
  const definitions = definitionsOf(minimalCampaign({
    id: '个人检查',
    subjects: ['unit', 'member'],
    roles: [office('督查组'), unit('单位', '各单位')],
    phases: [{ id: '实施', window: '4月至6月', body: `
      inspections:
        - { id: 抽查, title: 抽查个人, by: 督查组, subject: member, rectifyWithin: 30天 }` }],
  }));
  const scenario = (max: string) =>
    load(minimalScenario({
      id: '个人',
      seed: 4,
      top: max,
      units: 4,
      membersPerUnit: 1,
      behaviour: `
        tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
        findingsPerUnitPerMonth: 4
        rectification: { onTime: 1, late: 0, failsReinspection: 0 }`,
    }));

  it('when refusals are allowed (maxRefusedShare: 1), then the second rectification of a round is refused and counted by code', async () => {
    const result = await simulate({ definitions, processId: '个人检查', scenario: scenario('maxRefusedShare: 1\n') });
    expect(result.events.rejected['ENGINE_INSPECTION_STATE']).toBeGreaterThan(0);
  });

  it('when they are above the stated share, then the run fails with SIM_TOO_MANY_REFUSED and the counts it refused and sent', async () => {
    const allowed = await simulate({ definitions, processId: '个人检查', scenario: scenario('maxRefusedShare: 1\n') });
    const refused = Object.values(allowed.events.rejected).reduce((a, b) => a + b, 0);
    const attempted = refused + Object.values(allowed.events.sent).reduce((a, b) => a + b, 0);
    const error = await simulate({ definitions, processId: '个人检查', scenario: scenario(''), maxRefusedShare: refused / attempted - 0.001 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LuoshiError);
    expect((error as LuoshiError).code).toBe('SIM_TOO_MANY_REFUSED');
    expect((error as LuoshiError).details).toMatchObject({ refused, attempted });
    // Exactly at the share it runs.
    await expect(simulate({ definitions, processId: '个人检查', scenario: scenario(''), maxRefusedShare: refused / attempted })).resolves.toBeDefined();
  });
});

describe('given seed 000 (12 units × 2 members) and a variant where only 窗口单位 leave half their tasks undone (per-task random streams)', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const definitions = validateProcessPaths([`${root}processes/`]);
  const loaded = loadScenarioFile(`${root}examples/scenarios/000-baseline.yaml`);
  const base = { ...(loaded.scenario as ScenarioFile), organisation: { ...(loaded.scenario?.organisation as NonNullable<ScenarioFile['organisation']>), units: 12, membersPerUnit: 2 } };
  const variant: ScenarioFile = {
    ...base,
    behaviour: { ...base.behaviour, kinds: { ...base.behaviour.kinds, 窗口单位: { ...base.behaviour.kinds?.['窗口单位'], tasks: { delay: { kind: 'normal', mean: 5, sd: 3 }, neverProbability: 0.5 } } } },
  };
  const eventsByUnit = async (scenario: ScenarioFile) => {
    const out = new Map<string, string[]>();
    await simulate({ definitions, processId: '三型机关动员月', scenario, onSent: (s) => out.set(s.instanceId, [...(out.get(s.instanceId) ?? []), `${s.at} ${JSON.stringify(s.event)}`]) });
    return out;
  };

  it('when both are run on one seed, then every other unit sends the very same events at the very same times, and 窗口单位 send fewer', async () => {
    const [a, b] = [await eventsByUnit(base), await eventsByUnit(variant)];
    // Kinds in blocks by largest remainder: 3 镇办 (u01–u03), 7 区级部门 (u04–u10), 2 窗口单位 (u11, u12); the office is `sim/office`.
    const windows = ['sim/u11', 'sim/u12'];
    for (const [unit, events] of a) if (!windows.includes(unit)) expect(b.get(unit), unit).toEqual(events);
    const count = (m: Map<string, string[]>) => windows.reduce((n, u) => n + (m.get(u)?.length ?? 0), 0);
    expect(count(b)).toBeLessThan(count(a));
  });
});
