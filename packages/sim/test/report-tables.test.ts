import { describe, expect, it } from 'vitest';
import { assumptionsInWords, deadlineRisks, renderReport, resultRows, toCsv, unitTable, type MonteCarloResult, type ScenarioFile, type Spread } from '@luoshi/sim';

/*
 * The report's tables as data (issue 21), on a result written by hand so every expected value is
 * arithmetic on it: the deadline risks, one row per metric and scope, one row per unit, CSV text,
 * and a scenario's assumptions in words.
 */

const s = (mean: number, p5 = mean, p95 = mean): Spread => ({ mean, p5, p95 });
const zero = s(0);

const deadline = (title: string, phase: string, total: number, onTime: number, late: number, overdue: number) => ({
  title,
  phase,
  runs: 4,
  total: s(total),
  onTime: s(onTime),
  late: s(late),
  overdue: s(overdue),
  open: zero,
  onTimeRate: s(onTime / total),
});

const result: MonteCarloResult = {
  scenario: 'hand',
  processId: '手算',
  seed: 1,
  runs: 4,
  seeds: [1, 2, 3, 4],
  period: { start: '2025-01-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z' },
  organisation: { units: 3, members: 6 },
  events: { sent: { 'task.completed': s(30, 28, 32) }, rejected: {} },
  deadlines: {
    // 10 tasks, 2 late and 1 never: 30% overdue, 10% never. 20 tasks, 1 late: 5%. 5 tasks, 1 never: 20%, 20%.
    方案: deadline('报送方案', '部署', 10, 7, 2, 1),
    总结: deadline('年度总结', '总结', 20, 19, 1, 0),
    台账: deadline('建立台账', '部署', 5, 4, 0, 1),
  },
  overdueByPhase: { 部署: s(4, 2, 6), 总结: s(1, 0, 2) },
  ladders: {},
  flags: { '=HYPERLINK("x")': s(1, 0, 2) },
  effects: {},
  commended: zero,
  questioned: zero,
  rankings: {
    评优: {
      subject: 'unit',
      ranked: s(3),
      top: { u1: 0.75 },
      bottom: { u10: 0.5, u2: 0.25 },
      ranks: {
        u1: { ...s(1.25, 1, 2), deciles: [0.75, 0, 0, 0.25, 0, 0, 0, 0, 0, 0] },
        u2: { ...s(2, 1, 3), deciles: [0.25, 0, 0, 0.5, 0, 0, 0.25, 0, 0, 0] },
        u10: { ...s(2.75, 2, 3), deciles: [0, 0, 0, 0.25, 0, 0, 0.75, 0, 0, 0] },
      },
    },
    标兵: {
      subject: 'member',
      ranked: s(6),
      top: { 'u1/m1': 0.5, 'u1/m2': 0.25, 'u2/m1': 0.25 },
      bottom: { 'u10/m1': 1, 'u10/m2': 0.5, 'u2/m2': 0.5 },
      ranks: {},
    },
  },
  timeline: { campaign: '手算', zone: 'Asia/Shanghai', phases: [], deadlines: [] },
  monthly: [{ month: '2025-01', at: '2025-01-01T00:00:00.000Z', phases: { 部署: s(3) }, ladderClimbs: {}, effects: {} }],
  lights: {
    months: [
      { month: '2025-01', at: '2025-02-01T00:00:00.000Z', units: { red: s(1), green: s(3) }, tasks: { red: s(2) } },
      { month: '2025-02', at: '2025-03-01T00:00:00.000Z', units: { red: s(2) }, tasks: {} },
    ],
    board: { office: ['green', 'green'], u1: ['green', 'red'], u2: ['red', 'red'], u10: ['blue', 'blue'] },
  },
};

describe('given a Monte Carlo result written by hand', () => {
  it('when deadlines are ranked by risk, then the most often overdue come first: 台账 and 方案 before 总结', () => {
    const risks = deadlineRisks(result);
    expect(risks.map((r) => [r.item, r.overdueShare, r.neverShare])).toEqual([
      ['方案', 0.3, 0.1],
      ['台账', 0.2, 0.2],
      ['总结', 0.05, 0],
    ]);
  });

  it('when its figures are listed, then there is one row per metric and scope, shares of runs with their mean alone', () => {
    const rows = resultRows(result);
    expect(new Set(rows.map((r) => `${r[1]} ${r[2]}`)).size).toBe(rows.length);
    expect(rows).toContainEqual(['hand', 'events.sent', 'task.completed', 30, 28, 32]);
    expect(rows).toContainEqual(['hand', 'deadlines.late', '方案', 2, 2, 2]);
    expect(rows).toContainEqual(['hand', 'overdueByPhase', '部署', 4, 2, 6]);
    expect(rows).toContainEqual(['hand', 'rankings.rank', '评优/u10', 2.75, 2, 3]);
    expect(rows).toContainEqual(['hand', 'rankings.bottom', '标兵/u10/m2', 0.5, null, null]);
    expect(rows).toContainEqual(['hand', 'monthly.phases', '2025-01/部署', 3, 3, 3]);
    expect(rows).toContainEqual(['hand', 'lights.units', '2025-02/red', 2, 2, 2]);
    expect(rows).toContainEqual(['hand', 'lights.tasks', '2025-01/red', 2, 2, 2]);
    // 3 deadlines × 6 fields, 2 phases, 1 flag, commended, questioned, 2 ranked, 3 ranks, 1 top + 2 bottom + 3 top + 3 bottom shares, 1 month's phase, 3 + 1 lights, 1 event.
    expect(rows).toHaveLength(18 + 2 + 1 + 2 + 2 + 3 + 3 + 6 + 1 + 4 + 1);
  });

  it('when a row per unit is made, then units are in natural order without the office, with their bands and their members’ expected counts', () => {
    const table = unitTable(result, 'en');
    expect(table.columns).toEqual(['unit', '评优:meanRank', '评优:p5', '评优:p95', '评优:top', '评优:bottom', '标兵:membersTop', '标兵:membersBottom', 'lights:redMonths', 'lights:last']);
    expect(table.rows).toEqual([
      // u1: members m1 0.5 + m2 0.25 in the top band; red at one month end of two.
      ['u1', 1.25, 1, 2, 0.75, 0, 0.75, 0, 1, 'red'],
      ['u2', 2, 1, 3, 0, 0.25, 0.25, 0.5, 2, 'red'],
      // u10: m1 1 + m2 0.5 in the bottom band.
      ['u10', 2.75, 2, 3, 0, 0.5, 0, 1.5, 0, 'blue'],
    ]);
  });

  it('when written as CSV, then it starts with a byte-order mark, quotes what must be quoted and defuses what a spreadsheet would run', () => {
    expect(toCsv(['a', 'b'], [['x,y', 1.5], ['say "hi"', null], ['=HYPERLINK("x")', -2], ['+1', 0]])).toBe('\uFEFFa,b\r\n"x,y",1.5\r\n"say ""hi""",\r\n"\'=HYPERLINK(""x"")",-2\r\n\'+1,0\r\n');
  });
});

describe('given a result whose ids are prototype keys (hostile input)', () => {
  it('when its rows and unit table are made and it is rendered, then `__proto__` and `constructor` are ids like any other', () => {
    // JSON.parse makes `__proto__` an own key, as a result read back from report.json would have it.
    const hostile = JSON.parse(
      JSON.stringify(result).replace('"=HYPERLINK(\\"x\\")"', '"__proto__"').replaceAll('"u10"', '"constructor"').replaceAll('u10/', 'constructor/'),
    ) as MonteCarloResult;
    expect(Object.hasOwn(hostile.flags, '__proto__')).toBe(true);
    expect(resultRows(hostile)).toContainEqual(['hand', 'flags', '__proto__', 1, 0, 2]);
    const table = unitTable(hostile, 'en');
    expect(table.rows.find((r) => r[0] === 'constructor')).toEqual(['constructor', 2.75, 2, 3, 0, 0.5, 0, 1.5, 0, 'blue']);
    const html = renderReport(hostile, { lang: 'en' });
    expect(html).toContain('<td>__proto__</td>');
    expect(html).toContain('<td>constructor</td>');
  });
});

describe('given a scenario in words', () => {
  const scenario: ScenarioFile = {
    kind: 'scenario',
    id: 'w',
    seed: 1,
    organisation: { units: 12, membersPerUnit: 3, kinds: [{ id: '窗口', share: 1 }, { id: '科室', share: 3 }], nesting: { groups: 2, kind: '镇办' } },
    behaviour: {
      default: {
        tasks: { delay: { kind: 'exponential', mean: 9 }, neverProbability: 0.025 },
        items: { openedPerUnitPerMonth: 2, resolveDays: 10, passRate: 0.9 },
        notifications: { perMemberPerMonth: 0.01 },
      },
      kinds: { 窗口: { tasks: { delay: { kind: 'fixed', mean: 3 }, neverProbability: 0 } } },
    },
    decisions: { 是否推广: { options: { 推广: 0.7, 整改: 0.2 }, delay: { kind: 'uniform', min: 3, max: 10 }, scope: 'unit' } },
  };

  it('when written in Chinese, then each assumption has its unit: days, per month, shares as percentages', () => {
    expect(assumptionsInWords(scenario, 'zh').map((a) => `${a.topic}：${a.value}`)).toEqual([
      '单位：12个，每个单位3人',
      // Shares 1 : 3 are a quarter and three quarters.
      '单位类型：窗口 25%，科室 75%',
      '中间层级：2个（镇办）',
      '任务完成时间：自任务开始起平均9天（指数分布）',
      '任务从不完成的概率：2.5%',
      '督办事项：每个单位每月交办2件，平均10天报办结，核查通过率90%',
      '其他通报：每人每月0.01次',
      '窗口：任务完成时间：自任务开始起固定3天',
      '窗口：任务从不完成的概率：0%',
      // 0.7 + 0.2 leaves 0.1 never decided.
      '决定：是否推广：推广 70%，整改 20%，不作决定 10%；进入阶段后3–10天（均匀分布）；各单位分别决定',
    ]);
  });

  it('when a behaviour has a key this release does not know, then it is still shown, as its dotted path', () => {
    const newer = { ...scenario, behaviour: { default: { ...scenario.behaviour.default, extensions: { perTask: 0.1 } } } } as unknown as ScenarioFile;
    expect(assumptionsInWords(newer, 'en')).toContainEqual({ topic: 'extensions.perTask', value: '0.1' });
  });
});
