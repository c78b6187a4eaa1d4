import { beforeAll, describe, expect, it } from 'vitest';
import { shanghai } from '../support/campaign-harness.js';
import { startDirective, unitsNamed, type DirectiveRun } from '../support/directive-run.js';
import { utc, workedDirective, itemTasks } from '../support/worked-directive.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, simulates its baseline scenario, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D1 浙江省小城镇环境综合整治行动考核验收暂行办法 (2017–2019)', () => {
  const process = '小城镇环境综合整治考核验收';
  const directive = workedDirective('d1-xiaochengzhen.yaml', process, 'd1-baseline');

  it('when the baseline is simulated, then the province assesses twice a year, July–August and December to the next January, over 2017–2019', () => {
    // 「省考核验收时间原则上暂定为每年的7—8月、12月至次年1月」; windows end exclusive.
    const rounds = directive.result.timeline.phases.filter((p) => /^20\d\d年[中终]$/.test(p.id)).map((p) => [p.id, p.start, p.end]);
    expect(rounds).toEqual(
      [2017, 2018, 2019].flatMap((y) => [
        [`${y}年中`, utc(`${y}-07-01T00:00:00`), utc(`${y}-09-01T00:00:00`)],
        [`${y}年终`, utc(`${y}-12-01T00:00:00`), utc(`${y + 1}-02-01T00:00:00`)],
      ]),
    );
  });

  describe('given towns that apply for different rounds', () => {
    let run: DirectiveRun;
    const seen: Record<string, unknown> = {};

    beforeAll(async () => {
      run = await startDirective(directive.definitions, process, unitsNamed('省整治办', ['乌镇镇', '姚庄镇', '塘栖镇']), '2017-01-01T00:00:00');
      // 乌镇镇 applies for the mid-2017 round and passes on 20 August.
      await run.runTo('2017-06-01T10:00:00');
      await run.driver.send('c/乌镇镇', { type: 'decision.taken', decision: '申报验收', option: '申报2017年中' });
      await run.runTo('2017-08-20T10:00:00');
      await run.driver.send('c/乌镇镇', { type: 'decision.taken', decision: '验收结论2017年中', option: '省级样板' });
      await run.runTo('2017-12-05T10:00:00');
      seen.passedInDecember = (await run.driver.tasks('c/乌镇镇')).filter((t) => t.phase === '2017年终');
      // 姚庄镇 applies on 1 March 2018 for the mid-2018 round.
      await run.runTo('2018-03-01T10:00:00');
      await run.driver.send('c/姚庄镇', { type: 'decision.taken', decision: '申报验收', option: '申报2018年中' });
      seen.appliedInMarch = await run.driver.tasks('c/姚庄镇');
      await run.runTo('2018-06-30T23:00:00');
      seen.beforeRound = await run.driver.tasks('c/姚庄镇', { status: ['open', 'overdue'] });
      await run.runTo('2018-07-02T09:00:00');
      seen.roundOpened = await run.driver.tasks('c/姚庄镇', { status: ['open'] });
      // The county finishes its self-check on Tuesday 10 July 2018.
      await run.runTo('2018-07-10T10:00:00');
      await run.driver.send('c/姚庄镇', { type: 'task.completed', task: '县级自查2018年中' });
    });

    it('then a town that applies in 2018 has no open task before its round opens on 1 July 2018', () => {
      expect(seen.appliedInMarch).toEqual([]);
      expect(seen.beforeRound).toEqual([]);
      expect((seen.roundOpened as { item: string }[]).map((t) => t.item).sort()).toEqual(['县级自查2018年中', '市级核查2018年中', '省级考核2018年中'].sort());
    });

    it('then the acceptance cascades: the county self-check is due 15 working days into the round, the city check 10 working days after the county finished', async () => {
      const [county] = await itemTasks(run, 'c/姚庄镇', '县级自查2018年中');
      // 15 working days from Sunday 1 July 2018: 2–6, 9–13, 16–20 July; due at the end of Friday 20 July.
      expect(county?.dueAt).toBe(shanghai('2018-07-21T00:00:00'));
      const [city] = await itemTasks(run, 'c/姚庄镇', '市级核查2018年中');
      // Counted from the completion on Tuesday 10 July: 11–13, 16–20, 23–24 July; due at the end of Tuesday 24 July.
      expect(city?.dueAt).toBe(shanghai('2018-07-25T00:00:00'));
    });

    it('then a town passed in the mid-year round skips the year-end round, carries its pass and stays open to spot checks', async () => {
      expect(seen.passedInDecember).toEqual([]);
      expect((await run.driver.state('c/乌镇镇')).phase).toBe('长效管理');
      expect((await run.driver.outcomes('c', '乌镇镇')).flags).toMatchObject({ 考核达标: 1, 省级样板: 1, 摘帽: 0 });
      // 「抽检不合格的小城镇仍会被‘摘帽’」
      await run.runTo('2018-09-01T10:00:00');
      await run.driver.send('c/乌镇镇', { type: 'finding.recorded', inspection: '不定期抽检' });
      expect((await run.driver.outcomes('c', '乌镇镇')).flags).toMatchObject({ 摘帽: 1 });
    });

    it('then a town that has not applied has no task and takes part in no round', async () => {
      expect((await run.driver.state('c/塘栖镇')).phase).toBe('整治提升');
      expect(await run.driver.tasks('c/塘栖镇')).toEqual([]);
    });
  });
});
