import { beforeAll, describe, expect, it } from 'vitest';
import { startDirective, unitsNamed, type DirectiveRun } from '../support/directive-run.js';
import { utc, workedDirective, itemTasks } from '../support/worked-directive.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, simulates its baseline scenario, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D4 达标镇（区）创建工作计划 (2011年度)', () => {
  const process = '达标镇创建2011';
  const directive = workedDirective('d4-dabiaozhen.yaml', process, 'd4-baseline');

  it('when the baseline is simulated, then the stages are 10–20 May and 21–31 May 2011 and the round ends with the year', () => {
    const phases = new Map(directive.result.timeline.phases.map((p) => [p.id, p]));
    // 「宣传发动阶段（5月10日—5月20日）」 and 「意向申报阶段（5月21日—5月31日）」; windows end exclusive.
    expect(phases.get('宣传发动')).toMatchObject({ start: utc('2011-05-10T00:00:00'), end: utc('2011-05-21T00:00:00') });
    expect(phases.get('意向申报')).toMatchObject({ start: utc('2011-05-21T00:00:00'), end: utc('2011-06-01T00:00:00') });
    expect(directive.result.period.end).toBe(utc('2012-01-01T00:00:00'));
  });

  it('when the baseline is simulated, then at least three towns pass, the plan\'s minimum for 2011', () => {
    // 「2011年至少3–4个镇（区）达到标准」: the baseline assumes the county meets its own minimum.
    expect(directive.result.flags.达标镇 ?? 0).toBeGreaterThanOrEqual(3);
  });

  describe('given five towns, four of which stand for assessment in 2011', () => {
    let run: DirectiveRun;
    const towns = ['苴镇', '掘港镇', '栟茶镇', '马塘镇', '洋口港开发区'];

    beforeAll(async () => {
      run = await startDirective(directive.definitions, process, unitsNamed('县领导小组', towns), '2011-05-10T08:00:00');
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
      await run.driver.deliverEffects();
      expect(run.effects.filter((e) => e.action === '命名达标镇').map((e) => e.unitId)).toEqual(['苴镇', '掘港镇', '栟茶镇']);
    });
  });
});
