import { beforeAll, describe, expect, it } from 'vitest';
import { shanghai } from '../support/campaign-harness.js';
import { startDirective, unitsNamed, type DirectiveRun } from '../support/directive-run.js';
import { utc, workedDirective, itemTasks } from '../support/worked-directive.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, simulates its baseline scenario, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D3 清远市创建国家园林城市工作方案 (清府办[2010]37号)', () => {
  const process = '清远创建国家园林城市';
  const directive = workedDirective('d3-qingyuan-yuanlin.yaml', process, 'd3-baseline');

  it('when the baseline is simulated, then the plan runs December 2009 to 2011 with the unit plan due in December 2009 and the application by the end of March 2010', () => {
    // 「第一阶段为创园动员发动阶段（2009年12月）」… 「至2011年获得国家园林城市称号止」
    expect(directive.result.period).toEqual({ start: utc('2009-12-01T00:00:00'), end: utc('2012-01-01T00:00:00') });
    const due = new Map(directive.result.timeline.deadlines.map((d) => [d.item, d.due]));
    // 「2009年12月各单位……制定创园计划……以书面形式向创园工作小组办公室汇报」: by the end of 31 December 2009.
    expect(due.get('创园计划')).toBe(utc('2010-01-01T00:00:00'));
    // 「2010年3月底，以市政府名义向省建设厅提出创建省园林城市申请」
    expect(due.get('省园林城市申请')).toBe(utc('2010-04-01T00:00:00'));
    // 「在2011年5月底前，城市基础设施建设各项指标达到国家园林城市标准」
    expect(due.get('达到国家标准')).toBe(utc('2011-06-01T00:00:00'));
    expect(directive.result.timeline.phases.map((p) => p.id)).toEqual(['动员发动', '基础实施', '达标冲刺', '省级达标考核', '国家园林城市阶段']);
  });

  it('when the baseline is simulated, then both titles, granted by decisions the scenario takes for the whole city, reach every unit and the office', () => {
    // The scenario takes both decisions with probability 1 for the campaign: 20 units and the office.
    expect(directive.result.flags).toMatchObject({ 省园林城市: 21, 国家园林城市: 21 });
    expect(directive.result.monthly.at(-1)?.phases).toEqual({ ended: 20 });
  });

  describe('given the campaign started on its issue date, 13 May 2010', () => {
    let run: DirectiveRun;

    beforeAll(async () => {
      run = await startDirective(directive.definitions, process, unitsNamed('创园办', ['园林局', '城管局']), '2010-05-13T09:00:00');
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
