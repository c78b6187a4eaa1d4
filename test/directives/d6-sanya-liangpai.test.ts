import { beforeAll, describe, expect, it } from 'vitest';
import { startOnEngine, type EngineDirectiveRun } from '../support/directive-run.js';
import { validatedDirective } from '../support/worked-directive.js';
import { D6_OFFICE, D6_ORGANISATION } from '../support/d6-organisation.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D6 三亚市推进项目建设红黄绿亮牌督办机制 (2022)', () => {
  const process = '项目建设亮牌督办';
  const directive = validatedDirective('d6-sanya-liangpai.yaml');
  // 吉阳区's key-project list: one project with a year plan of 1,200 (万元), and the area's own task, 6,000 (D6_ORGANISATION).
  const organisation = D6_ORGANISATION;
  const OFFICE = D6_OFFICE;
  // Cumulative investment reported at the start of each month: the project's and the area's.
  const reports: readonly [at: string, project: number, area: number][] = [
    ['2022-02-03T10:00:00', 100, 520],
    ['2022-03-03T10:00:00', 150, 900],
    ['2022-04-03T10:00:00', 200, 1400],
    ['2022-05-05T10:00:00', 150, 1900],
    ['2022-06-03T10:00:00', 240, 2600],
    ['2022-07-04T10:00:00', 320, 3000],
  ];
  const seen: { project: (string | undefined)[]; area: (string | undefined)[]; level: (string | undefined)[]; actions: string[][]; escalated: string[] } = {
    project: [],
    area: [],
    level: [],
    actions: [],
    escalated: [],
  };
  let run: EngineDirectiveRun;

  beforeAll(async () => {
    run = await startOnEngine(directive.definitions, process, organisation, '2022-01-01T00:00:00');
    for (const [at, project, area] of reports) {
      await run.runTo(at);
      const before = run.effects.length;
      await run.engine.send('c/吉阳区', { type: 'item.progress', item: '凤凰岛二期', done: project }, OFFICE);
      await run.engine.send('c/吉阳区', { type: 'item.progress', item: '吉阳区全社会投资', done: area }, OFFICE);
      await run.engine.deliverEffects();
      const items = await run.engine.items('c');
      seen.project.push(items.find((i) => i.item === '凤凰岛二期')?.light);
      seen.area.push(items.find((i) => i.item === '吉阳区全社会投资')?.light);
      seen.level.push(items.find((i) => i.item === '凤凰岛二期')?.level);
      seen.actions.push(run.effects.slice(before).flatMap((e) => (e.action !== undefined ? [e.action] : [])));
    }
    seen.escalated = run.effects.filter((e) => e.effect === 'item-escalated').map((e) => e.title);
  });

  it('then the project is carded against the pro-rata share: 100 of 100 green, 150 of 200 and 200 of 300 yellow, 150 of 400 and 240 of 500 red, 320 of 600 yellow', () => {
    // Shortfalls: 0; 25%; 33%; 62.5%; 52%; 46.7% (≤ 50% yellow, more red).
    expect(seen.project).toEqual(['green', 'yellow', 'yellow', 'red', 'red', 'yellow']);
  });

  it('then a red returns to yellow only once progress is made up: 240 in June is more done but still 52% short, red; 320 in July is 46.7% short, yellow', () => {
    expect(seen.project.slice(4)).toEqual(['red', 'yellow']);
  });

  it('then a yellow brings an interview of the responsible person, two yellows in a row the vice-mayor, and each red the city leader', () => {
    // 「亮黄牌的，约谈项目责任人；连续两次亮黄牌的，由分管副市长约谈；亮红牌的，由分管市领导约谈」
    expect(seen.actions).toEqual([[], ['约谈项目责任人'], ['副市长约谈'], ['市领导约谈'], ['市领导约谈'], ['约谈项目责任人']]);
  });

  it('then two red months running escalate the project to 市级 (escalateAfterReds: 2), once', () => {
    expect(seen.level).toEqual(['区级', '区级', '区级', '区级', '市级', '市级']);
    expect(seen.escalated).toEqual(['年度计划投资1000万元以上的重点项目「凤凰岛二期」升级为市级挂牌督办']);
  });

  it('then the area is green when its monthly task is met, yellow when missed, red when missed two months running, and green again once met', () => {
    // Monthly task: 500 a month of 6,000. 520 ≥ 500; 900 < 1,000; 1,400 < 1,500 (second miss); 1,900 < 2,000; 2,600 ≥ 2,500; 3,000 ≥ 3,000.
    expect(seen.area).toEqual(['green', 'yellow', 'red', 'red', 'green', 'green']);
  });

  it('then the items query and the roll-up show the cards: the project yellow with 3 yellows and 2 reds, the area green', async () => {
    const items = await run.engine.items('c');
    expect(items.map((i) => [i.item, i.light, i.yellows, i.reds, i.target, i.done])).toEqual([
      ['凤凰岛二期', 'yellow', 3, 2, 1200, 320],
      ['吉阳区全社会投资', 'green', 1, 2, 6000, 3000],
    ]);
    expect((await run.engine.rollup('c')).lights?.items).toEqual({ green: 1, yellow: 1, red: 0, blue: 0 });
  });
});
