import { beforeAll, describe, expect, it } from 'vitest';
import { shanghai } from '../support/campaign-harness.js';
import { startDirective, unitsNamed, type DirectiveRun } from '../support/directive-run.js';
import { utc, workedDirective } from '../support/worked-directive.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, simulates its baseline scenario, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D5 软弱涣散村（社区）党组织常态化排查整顿', () => {
  const process = '软弱涣散党组织常态化排查整顿';
  const directive = workedDirective('d5-ruanruo-huansan.yaml', process, 'd5-baseline');

  it('when the baseline is simulated, then the mechanism with no end runs three years, one screening a year, and every village is ranked', () => {
    // standing: true has no end date; the simulator runs a standing mechanism three years by default.
    expect(directive.result.period).toEqual({ start: utc('2019-01-01T00:00:00'), end: utc('2022-01-01T00:00:00') });
    // 「每年初……开展一次全覆盖调查摸排工作」: one screening per yearly cycle, 2019, 2020 and 2021 for
    // each of 300 villages, and 2022's just opened at the instant the three years end (nothing stops it).
    const screenings = ['年初排查', '年初排查.2020', '年初排查.2021', '年初排查.2022'].map((id) => directive.result.deadlines[id]);
    expect(screenings.map((s) => [s?.total, s?.open])).toEqual([[300, 0], [300, 0], [300, 0], [300, 300]]);
    expect(directive.result.rankings.村绩效考核排名?.ranked).toBe(300);
  });

  describe('given three villages screened each January of 2019, 2020 and 2021', () => {
    let run: DirectiveRun;
    const villages = ['甲村', '乙村', '丙社区'];
    const ranked = new Map<string, number[]>(villages.map((v) => [`c/${v}`, []]));
    const cohorts: string[][] = [];
    const seen: Record<string, unknown> = {};

    /** The villages carrying 软弱涣散 now: this year's identified set. */
    async function identified(): Promise<string[]> {
      const found: string[] = [];
      for (const v of villages) if ((await run.driver.outcomes('c', v)).flags.软弱涣散 === 1) found.push(v);
      return found;
    }

    /** Scores the previous year's assessment and survey of every village in the first days of January. */
    async function scoreJanuary(year: number, assessment: readonly number[], satisfaction: readonly number[]) {
      await run.runTo(`${year}-01-05T10:00:00`);
      for (const [i, v] of villages.entries()) {
        await run.driver.send(`c/${v}`, { type: 'score.given', evaluation: '两委绩效考核', score: assessment[i] as number });
        await run.driver.send(`c/${v}`, { type: 'score.given', evaluation: '群众满意度测评', score: satisfaction[i] as number });
      }
    }

    beforeAll(async () => {
      run = await startDirective(directive.definitions, process, unitsNamed('州委组织部', villages), '2019-01-01T00:00:00');
      run.driver.subscribe((change) => {
        if (change.type === 'ranking.placed') ranked.get(change.instanceId)?.push(change.at);
      });
      // 2019: 甲村's satisfaction rate is 55%, under 60%; it is also last in the assessment (70).
      await scoreJanuary(2019, [70, 90, 80], [55, 85, 80]);
      await run.runTo('2019-06-01T00:00:00');
      cohorts.push(await identified());
      // 2020: 乙村 is identified by its township in the screening; its 2020 assessment, 60, is last (the ranking reads this cycle's).
      await scoreJanuary(2020, [95, 60, 85], [85, 80, 80]);
      await run.runTo('2020-01-20T10:00:00');
      await run.driver.send('c/乙村', { type: 'finding.recorded', inspection: '软弱涣散认定' });
      await run.runTo('2020-06-01T00:00:00');
      cohorts.push(await identified());
      seen.rectifying = (await run.driver.state('c/乙村')).inspections;
      // 2021: 甲 90, 乙 90, 丙 40: 丙社区 is last.
      await scoreJanuary(2021, [90, 90, 40], [85, 80, 75]);
      await run.runTo('2021-06-01T00:00:00');
      cohorts.push(await identified());
      // The mechanism has no end: on 2 January 2022 it is still running.
      await run.runTo('2022-01-02T00:00:00');
      // One screening per cycle: 年初排查 (2019), 年初排查.2020, …
      seen.screenings = (await run.driver.tasks('c/甲村')).filter((t) => t.item === '年初排查' || t.item.startsWith('年初排查.'));
    });

    it('then the screening is due by the end of each January, and with no end it comes again in 2022', () => {
      const screenings = seen.screenings as { dueAt?: number; status: string }[];
      expect(screenings.map((t) => t.dueAt)).toEqual(['2019-02-01', '2020-02-01', '2021-02-01', '2022-02-01'].map((d) => shanghai(`${d}T00:00:00`)));
      expect(screenings[3]?.status).toBe('open');
    });

    it('then the yearly ranking fires once a year, at the end of 15 January', () => {
      for (const v of villages) expect(ranked.get(`c/${v}`)).toEqual(['2019-01-16', '2020-01-16', '2021-01-16'].map((d) => shanghai(`${d}T00:00:00`)));
    });

    it("then each year's identified set is a new cohort: last year's identification lapses with its year", () => {
      expect(cohorts).toEqual([['甲村'], ['乙村'], ['丙社区']]);
    });

    it('then a village identified by its township is under rectification during its year', () => {
      // 2020's loop is that cycle's, 软弱涣散认定.2020; 2019's stayed clear for 乙村.
      expect(seen.rectifying).toEqual({ 软弱涣散认定: 'clear', '软弱涣散认定.2020': 'rectifying' });
    });
  });
});
