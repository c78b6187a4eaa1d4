import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationResult } from '@luoshi/dsl';
import type { SimulationResult } from '@luoshi/sim';
import { shanghai } from './support/campaign-harness.js';
import { simulateBaseline, startDirective, unitsNamed, validateDirective, type DirectiveRun } from './support/directive-run.js';

/*
 * The worked directives of examples/directives/ (issue 18's development set): each file validates
 * with no diagnostic at all, simulates its baseline scenario, and runs as its directive's text says.
 * Every expected value below is read from the directive's text (quoted beside it) or worked out by
 * hand from it, never copied from a run.
 */

/** An instant as the simulator writes it (ISO 8601, UTC) from a Shanghai wall-clock time. */
function utc(iso: string): string {
  return new Date(shanghai(iso)).toISOString();
}

/** The tasks of one item of an instance, in occurrence order. */
async function itemTasks(run: DirectiveRun, instance: string, item: string) {
  return (await run.driver.tasks(instance)).filter((t) => t.item === item);
}

describe('D3 清远市创建国家园林城市工作方案 (清府办[2010]37号)', () => {
  const file = 'd3-qingyuan-yuanlin.yaml';
  const process = '清远创建国家园林城市';
  let definitions: ValidationResult;
  let result: SimulationResult;

  beforeAll(async () => {
    definitions = validateDirective(file);
    result = await simulateBaseline(definitions, process, 'd3-baseline');
  });

  it('when the file is validated, then it has no error and no warning', () => {
    expect(definitions.diagnostics).toEqual([]);
    expect(definitions.ok).toBe(true);
  });

  it('when the baseline is simulated, then the plan runs December 2009 to 2011 with the unit plan due in December 2009 and the application by the end of March 2010', () => {
    // 「第一阶段为创园动员发动阶段（2009年12月）」… 「至2011年获得国家园林城市称号止」
    expect(result.period).toEqual({ start: utc('2009-12-01T00:00:00'), end: utc('2012-01-01T00:00:00') });
    const due = new Map(result.timeline.deadlines.map((d) => [d.item, d.due]));
    // 「2009年12月各单位……制定创园计划……以书面形式向创园工作小组办公室汇报」: by the end of 31 December 2009.
    expect(due.get('创园计划')).toBe(utc('2010-01-01T00:00:00'));
    // 「2010年3月底，以市政府名义向省建设厅提出创建省园林城市申请」
    expect(due.get('省园林城市申请')).toBe(utc('2010-04-01T00:00:00'));
    // 「在2011年5月底前，城市基础设施建设各项指标达到国家园林城市标准」
    expect(due.get('达到国家标准')).toBe(utc('2011-06-01T00:00:00'));
    expect(result.timeline.phases.map((p) => p.id)).toEqual(['动员发动', '基础实施', '达标冲刺', '省级达标考核', '国家园林城市阶段']);
  });

  it('when the baseline is simulated, then both titles, granted by decisions the scenario takes for the whole city, reach every unit and the office', () => {
    // The scenario takes both decisions with probability 1 for the campaign: 20 units and the office.
    expect(result.flags).toMatchObject({ 省园林城市: 21, 国家园林城市: 21 });
    expect(result.monthly.at(-1)?.phases).toEqual({ ended: 20 });
  });

  describe('given the campaign started on its issue date, 13 May 2010', () => {
    let run: DirectiveRun;

    beforeAll(async () => {
      run = await startDirective(definitions, process, unitsNamed('创园办', ['园林局', '城管局']), '2010-05-13T09:00:00');
    });

    it('then its early phases are already past: every unit is in the provincial assessment stage and the December 2009 work is overdue', async () => {
      // 2010-05-13 falls in 「创建省园林城市达标考核阶段（2010年4月起至获得省园林城市称号止）」.
      expect((await run.driver.rollup('c')).phases).toEqual({ 省级达标考核: 3 });
      const [plan] = await itemTasks(run, 'c/园林局', '创园计划');
      expect(plan).toMatchObject({ status: 'overdue', dueAt: shanghai('2010-01-01T00:00:00') });
      const [fix] = await itemTasks(run, 'c/园林局', '落实整改');
      expect(fix?.status).toBe('open');
      // The office's own 2010年3月底 application is overdue on the office, and on no unit.
      expect((await itemTasks(run, 'c/创园办', '省园林城市申请'))[0]?.status).toBe('overdue');
      expect(await itemTasks(run, 'c/园林局', '省园林城市申请')).toEqual([]);
    });

    it('then the provincial title moves a unit at once into the national stage, which has no window of its own, and its May 2011 deadline opens', async () => {
      await run.runTo('2010-09-20T10:00:00');
      await run.driver.send('c/园林局', { type: 'decision.taken', decision: '省级审核评定', option: '获得省园林城市称号' });
      expect((await run.driver.state('c/园林局')).phase).toBe('国家园林城市阶段');
      expect((await itemTasks(run, 'c/园林局', '达到国家标准'))[0]).toMatchObject({ status: 'open', dueAt: shanghai('2011-06-01T00:00:00') });
      // 城管局 has no title yet: it stays in the provincial stage.
      expect((await run.driver.state('c/城管局')).phase).toBe('省级达标考核');
    });
  });
});

describe('D4 达标镇（区）创建工作计划 (2011年度)', () => {
  const file = 'd4-dabiaozhen.yaml';
  const process = '达标镇创建2011';
  let definitions: ValidationResult;
  let result: SimulationResult;

  beforeAll(async () => {
    definitions = validateDirective(file);
    result = await simulateBaseline(definitions, process, 'd4-baseline');
  });

  it('when the file is validated, then it has no error and no warning', () => {
    expect(definitions.diagnostics).toEqual([]);
    expect(definitions.ok).toBe(true);
  });

  it('when the baseline is simulated, then the stages are 10–20 May and 21–31 May 2011 and the round ends with the year', () => {
    const phases = new Map(result.timeline.phases.map((p) => [p.id, p]));
    // 「宣传发动阶段（5月10日—5月20日）」 and 「意向申报阶段（5月21日—5月31日）」; windows end exclusive.
    expect(phases.get('宣传发动')).toMatchObject({ start: utc('2011-05-10T00:00:00'), end: utc('2011-05-21T00:00:00') });
    expect(phases.get('意向申报')).toMatchObject({ start: utc('2011-05-21T00:00:00'), end: utc('2011-06-01T00:00:00') });
    expect(result.period.end).toBe(utc('2012-01-01T00:00:00'));
  });

  it('when the baseline is simulated, then at least three towns pass, the plan\'s minimum for 2011', () => {
    // 「2011年至少3–4个镇（区）达到标准」: the baseline assumes the county meets its own minimum.
    expect(result.flags.达标镇 ?? 0).toBeGreaterThanOrEqual(3);
  });

  describe('given five towns, four of which stand for assessment in 2011', () => {
    let run: DirectiveRun;
    const towns = ['苴镇', '掘港镇', '栟茶镇', '马塘镇', '洋口港开发区'];

    beforeAll(async () => {
      run = await startDirective(definitions, process, unitsNamed('县领导小组', towns), '2011-05-10T08:00:00');
      await run.runTo('2011-05-25T10:00:00');
      for (const town of towns.slice(0, 4)) await run.driver.send(`c/${town}`, { type: 'decision.taken', decision: '是否申报', option: '申报' });
      await run.driver.send('c/洋口港开发区', { type: 'decision.taken', decision: '是否申报', option: '暂不申报' });
    });

    it('then a town that declared on 25 May waits for the works stage: nothing of it is open before 1 June', async () => {
      expect((await run.driver.state('c/苴镇')).phase).toBe('创建实施');
      expect((await itemTasks(run, 'c/苴镇', '道路保洁')).filter((t) => t.status === 'open')).toEqual([]);
      await run.runTo('2011-06-01T08:00:00');
      expect((await itemTasks(run, 'c/苴镇', '道路保洁'))[0]?.status).toBe('open');
      // The zone that does not stand this year has ended its 2011 round.
      expect((await run.driver.state('c/洋口港开发区')).ended).toBe(true);
    });

    it('then the towns the county team passes in December are named 达标镇, and those it fails are not', async () => {
      await run.runTo('2011-12-16T10:00:00');
      for (const town of towns.slice(0, 3)) await run.driver.send(`c/${town}`, { type: 'decision.taken', decision: '考核验收', option: '达标' });
      await run.driver.send('c/马塘镇', { type: 'decision.taken', decision: '考核验收', option: '未达标' });
      const passed: string[] = [];
      for (const town of towns) if ((await run.driver.outcomes('c', town)).flags.达标镇 === 1) passed.push(town);
      expect(passed).toEqual(['苴镇', '掘港镇', '栟茶镇']);
    });
  });
});
