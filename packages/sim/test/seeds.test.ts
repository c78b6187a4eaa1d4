import { parseProcessText, validateParsedFiles, validateProcessPaths, type CampaignDefinition } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulate, validateScenarioText, type ScenarioFile, type SimulationResult } from '@luoshi/sim';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);

/** The bundled campaigns that ship scenarios, by seed. */
const SEEDS = [
  { seed: '000', process: '三型机关动员月' },
  { seed: '002', process: '机关作风建设年' },
  { seed: '004', process: '机关创新行动' },
] as const;

/** A shipped scenario with a smaller organisation (12 units × 3 members), so the tests stay fast. */
function scenario(seed: string, name: string, units = 12, membersPerUnit = 3): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${seed}-${name}.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  const organisation = loaded.scenario.organisation;
  if (!organisation) throw new Error('shipped scenarios generate their organisation');
  return { ...loaded.scenario, organisation: { ...organisation, units, membersPerUnit } };
}

const campaignOf = (process: string): CampaignDefinition => {
  const campaign = definitions.campaigns.get(process);
  if (!campaign) throw new Error(`no campaign ${process}`);
  return campaign;
};

const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);
const climbs = (r: SimulationResult) => r.monthly.reduce((n, m) => n + sum(m.ladderClimbs), 0);

describe.each(SEEDS)('given seed $seed ($process) and its shipped scenarios', ({ seed, process }) => {
  const results = new Map<string, Promise<SimulationResult>>();
  const run = (name: string): Promise<SimulationResult> => {
    let result = results.get(name);
    if (!result) {
      result = simulate({ definitions, processId: process, scenario: scenario(seed, name) });
      results.set(name, result);
    }
    return result;
  };

  it.each(['baseline', 'diligent', 'lax'])('when %s runs, then it simulates the campaign and refusals stay a small share of the events', async (name) => {
    const r = await run(name);
    expect(r.processId).toBe(process);
    expect(r.organisation).toEqual({ units: 12, members: 12 * 3 });
    const sent = sum(r.events.sent);
    expect(sent).toBeGreaterThan(0);
    expect(sum(r.events.rejected)).toBeLessThan(sent * 0.05);
    expect(Object.keys(r.deadlines).length).toBeGreaterThan(0);
  });

  it('when units are lax rather than diligent, then more tasks go overdue and more rungs are climbed', async () => {
    const [diligent, lax] = [await run('diligent'), await run('lax')];
    expect(sum(lax.overdueByPhase)).toBeGreaterThan(sum(diligent.overdueByPhase));
    if ((campaignOf(process).ladders ?? []).length > 0) expect(climbs(lax)).toBeGreaterThan(climbs(diligent));
    else expect([climbs(lax), climbs(diligent)]).toEqual([0, 0]);
  });

  it('when any scenario ends, then no ladder has more subjects at rung n + 1 than at rung n', async () => {
    for (const name of ['baseline', 'diligent', 'lax']) {
      const r = await run(name);
      for (const ladder of campaignOf(process).ladders ?? []) {
        const reached = r.ladders[ladder.id] ?? {};
        const levels = ladder.rungs.map((rung) => rung.level).sort((a, b) => a - b);
        for (let i = 1; i < levels.length; i++) {
          expect(reached[String(levels[i])] ?? 0, `${name} ${ladder.id} rung ${levels[i]}`).toBeLessThanOrEqual(reached[String(levels[i - 1])] ?? 0);
        }
      }
    }
  });

  it('when any scenario ends, then every ranking has exactly its configured band sizes', async () => {
    for (const name of ['baseline', 'diligent', 'lax']) {
      const r = await run(name);
      for (const ranking of campaignOf(process).rankings ?? []) {
        const outcome = r.rankings[ranking.id];
        expect(outcome, `${name} ${ranking.id}`).toBeDefined();
        if (!outcome) continue;
        // The engine fills the top band first; the bottom band takes what is left, never overlapping it.
        const top = Math.min(ranking.top?.count ?? 0, outcome.ranked);
        const bottom = Math.min(ranking.bottom?.count ?? 0, outcome.ranked - top);
        expect(outcome.top, `${name} ${ranking.id} top`).toHaveLength(top);
        expect(outcome.bottom, `${name} ${ranking.id} bottom`).toHaveLength(bottom);
        expect(outcome.standings.map((s) => s.rank)).toEqual(outcome.standings.map((_, i) => i + 1));
      }
    }
  });

  it('when the same scenario runs again with the same seed, then the JSON is byte-identical', async () => {
    const again = await simulate({ definitions, processId: process, scenario: scenario(seed, 'baseline') });
    expect(JSON.stringify(again)).toBe(JSON.stringify(await run('baseline')));
  });
});

/** A pilot that ends on the leading group's decision: spread the pilot, or rectify and end. */
const PILOT = `
kind: campaign
id: 试点推广
version: 1
title: 试点推广活动
source: { title: 测试用的试点推广方案 }
year: 2010
timezone: Asia/Shanghai
subjects: [unit]
roles:
  - { id: 领导小组, title: 领导小组, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 试点
    title: 试点阶段
    window: 3月至4月
    exit: decision
    decisions:
      - id: 是否推广
        title: 试点后是否全面推广
        by: 领导小组
        options:
          - { id: 推广, next: 推广 }
          - { id: 整改, next: 整改 }
    tasks:
      - { id: 试点总结, title: 试点总结, owner: 单位, due: 4月20日 }
  - id: 整改
    title: 整改阶段
    window: 5月至6月
    next: end
    tasks:
      - { id: 整改报告, title: 整改报告, owner: 单位, due: 6月20日 }
  - id: 推广
    title: 推广阶段
    window: 7月至12月
    tasks:
      - { id: 推广总结, title: 推广总结, owner: 单位, due: 12月20日 }
`;

function pilotScenario(extra: string): ScenarioFile {
  const text = `kind: scenario
id: pilot
seed: 5
organisation: { units: 6, membersPerUnit: 1 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 2 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 80 } }
    findingsPerUnitPerMonth: 0
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
${extra}`;
  const loaded = validateScenarioText(text, 'pilot.yaml');
  if (!loaded.ok || !loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenario;
}

describe('given a campaign whose phase ends on a decision', () => {
  const pilot = validateParsedFiles([parseProcessText(PILOT, 'pilot.yaml')]);
  const run = (extra: string) => simulate({ definitions: pilot, processId: '试点推广', scenario: pilotScenario(extra) });
  /** The phases units were in at the start of each month, in order, without repeats. */
  const path = (r: SimulationResult) => {
    const out: string[] = [];
    for (const m of r.monthly) for (const phase of Object.keys(m.phases)) if (out.at(-1) !== phase) out.push(phase);
    return out;
  };

  it('when the process file is read, then it is valid', () => {
    expect(pilot.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('when the scenario says nothing about the decision, then units stay in the pilot phase', async () => {
    const r = await run('');
    expect(path(r)).toEqual(['试点']);
    expect(r.events.sent['decision.taken']).toBeUndefined();
  });

  it('when the scenario takes one option or the other, then the phase path follows it', async () => {
    const spread = await run('decisions:\n  是否推广: { options: { 推广: 1 }, delay: { kind: fixed, mean: 70 } }\n');
    expect(path(spread)).toEqual(['试点', '推广']);
    expect(spread.events.sent['decision.taken']).toBe(7);
    expect(spread.deadlines['推广总结']?.total).toBe(6);
    expect(spread.deadlines['整改报告']).toBeUndefined();
    const rectify = await run('decisions:\n  是否推广: { options: { 整改: 1 }, delay: { kind: fixed, mean: 70 } }\n');
    expect(path(rectify)).toEqual(['试点', '整改', 'ended']);
    expect(rectify.deadlines['整改报告']?.total).toBe(6);
    expect(rectify.events.rejected).toEqual({});
  });

  it('when the decision is drawn per unit, then units can take different paths; campaign-wide they all take one', async () => {
    const options = '{ options: { 推广: 0.5, 整改: 0.5 }, delay: { kind: uniform, min: 60, max: 75 }';
    const perUnit = await run(`decisions:\n  是否推广: ${options}, scope: unit }\n`);
    expect(perUnit.deadlines['推广总结']?.total ?? 0).toBeGreaterThan(0);
    expect(perUnit.deadlines['整改报告']?.total ?? 0).toBeGreaterThan(0);
    const campaignWide = await run(`decisions:\n  是否推广: ${options} }\n`);
    expect([campaignWide.deadlines['推广总结']?.total ?? 0, campaignWide.deadlines['整改报告']?.total ?? 0].sort()).toEqual([0, 6]);
  });

  it('when the scenario names a decision or option the campaign lacks, then a coded error', async () => {
    await expect(run('decisions:\n  无此决定: { options: { 推广: 1 }, delay: { kind: fixed, mean: 1 } }\n')).rejects.toMatchObject({ code: 'SIM_UNKNOWN_DECISION' });
    await expect(run('decisions:\n  是否推广: { options: { 无此选项: 1 }, delay: { kind: fixed, mean: 1 } }\n')).rejects.toMatchObject({ code: 'SIM_UNKNOWN_OPTION' });
  });

  it('when the option probabilities add up to more than 1, then the scenario is refused at the options', () => {
    const text = `kind: scenario\nid: x\nseed: 1\norganisation: { units: 1, membersPerUnit: 0 }\nbehaviour:\n  default:\n    tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 0 }\n    complaintsPerMemberPerMonth: 0\n    scores: { default: { kind: fixed, mean: 1 } }\n    findingsPerUnitPerMonth: 0\n    rectification: { onTime: 1, late: 0, failsReinspection: 0 }\ndecisions:\n  是否推广:\n    options: { 推广: 0.7, 整改: 0.6 }\n    delay: { kind: fixed, mean: 1 }\n`;
    const loaded = validateScenarioText(text, 'x.yaml');
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics).toMatchObject([{ code: 'SIM_DECISION_OVER_ONE', line: 14, message: { zh: '决定「是否推广」各选项概率之和为 1.3，超过了 1' } }]);
  });
});

describe('given seed 002, whose rule 抽查被通报个人 reads notices naming members', () => {
  const base = scenario('002', 'lax', 12, 3);
  const withNotices = (perFinding: number): ScenarioFile => ({
    ...base,
    behaviour: { ...base.behaviour, default: { ...base.behaviour.default, findingsPerUnitPerMonth: 1, notifications: { perFinding, delay: { kind: 'uniform', min: 1, max: 5 } } } },
  });
  const run = (s: ScenarioFile) => simulate({ definitions, processId: '机关作风建设年', scenario: s });

  it('when no finding is circulated, then no member is graded 不称职; when every one is, then some are', async () => {
    const none = await run(withNotices(0));
    expect(none.events.sent['notified']).toBeUndefined();
    expect(none.flags['绩效不称职']).toBe(0);
    const all = await run(withNotices(1));
    // Every finding is circulated, but a notice due 1–5 days after a finding of the campaign's last
    // days comes after the campaign has ended and is refused (ENGINE_CAMPAIGN_ENDED), as is other
    // late work then (满意度测评's 反馈整改 opens only after the score, so it can fall after the end).
    const findings = all.events.sent['finding.recorded'] ?? 0;
    expect(all.events.sent['notified']).toBeLessThanOrEqual(findings);
    expect(all.events.sent['notified']).toBeGreaterThanOrEqual(findings - (all.events.rejected['ENGINE_CAMPAIGN_ENDED'] ?? 0));
    expect(all.flags['绩效不称职'] ?? 0).toBeGreaterThan(0);
    expect(all.flags['绩效不称职'] ?? 0).toBeLessThanOrEqual(all.organisation.members);
  });

  it('when notices come at a monthly rate outside inspections, then they are sent but name no inspection, so the rule does not fire', async () => {
    const s: ScenarioFile = {
      ...base,
      behaviour: { ...base.behaviour, default: { ...base.behaviour.default, findingsPerUnitPerMonth: 0, notifications: { perMemberPerMonth: 0.5 } } },
    };
    const r = await run(s);
    expect(r.events.sent['notified'] ?? 0).toBeGreaterThan(0);
    expect(r.flags['绩效不称职']).toBe(0);
  });
});
