import { describe, expect, it } from 'vitest';
import { createEngine, EngineError, runUntil, VirtualClock, type OrganisationUnit, type Store } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from '../support/campaign-harness.js';
import { startOnEngine, type EngineDirectiveRun } from '../support/directive-run.js';
import { validatedDirective, actionsTaken } from '../support/worked-directive.js';

/*
 * A worked directive of examples/directives/ (issue 18's development set): the file validates with no
 * diagnostic at all, and runs as its directive's text says. Every expected value below is read from
 * the directive's text (quoted beside it) or worked out by hand from it, never copied from a run.
 */

describe('D2 广元市环境保护督察问题整改“贴蓝签、挂黄牌、亮红灯”制度（试行）', () => {
  const process = '环保督察整改亮牌';
  const directive = validatedDirective('d2-guangyuan-lanqian.yaml');
  const OFFICE = { actor: '整改办', roles: ['整改办'] };
  // 利州区 holds a rectification task and a petition case from the start (the organisation's list);
  // 昭化区 a task due on Friday 31 August 2018.
  const organisation: OrganisationUnit = {
    id: '市整改办',
    units: [
      { id: '利州区', items: [{ id: '排污口整治', kind: '整改任务', owner: '区环保局' }, { id: '信访件-017', kind: '信访件' }] },
      { id: '昭化区', items: [{ id: '河道采砂整治', kind: '整改任务', due: '2018-08-31' }] },
    ],
  };

  async function started(store?: Store): Promise<EngineDirectiveRun> {
    const run = await startOnEngine(directive.definitions, process, organisation, '2018-06-01T00:00:00', store);
    // Every unit starts the year's environmental-inspection assessment at 100 (百分制).
    for (const unit of ['利州区', '昭化区']) await run.engine.send(`c/${unit}`, { type: 'score.given', evaluation: '年度环保督察考核', score: 100 }, OFFICE);
    return run;
  }

  async function assess(run: EngineDirectiveRun, at: string, unit: string, item: string, light: 'blue' | 'green' | 'yellow' | 'red'): Promise<void> {
    await run.runTo(at);
    await run.engine.send(`c/${unit}`, { type: 'item.assessed', item, light }, OFFICE);
    await run.engine.deliverEffects();
  }

  async function score(run: EngineDirectiveRun, unit: string): Promise<number | undefined> {
    return (await run.engine.subjects(`c/${unit}`)).find((s) => s.kind === 'unit')?.scores['年度环保督察考核'];
  }

  it('when the same task gets its second yellow, then 专函督办 and 1 point off its unit; yellows on different items do not add up', async () => {
    const run = await started();
    // 「同一任务第二次被挂黄牌的，专函督办，并扣减年度环保督察考核1分」
    await assess(run, '2018-07-02T10:00:00', '利州区', '排污口整治', 'yellow');
    await assess(run, '2018-07-02T10:00:00', '利州区', '信访件-017', 'yellow');
    expect(actionsTaken(run.effects)).toEqual([]);
    expect(await score(run, '利州区')).toBe(100);
    await assess(run, '2018-08-01T10:00:00', '利州区', '排污口整治', 'blue');
    await assess(run, '2018-09-03T10:00:00', '利州区', '排污口整治', 'yellow');
    expect(actionsTaken(run.effects, '利州区')).toEqual(['利州区:专函督办']);
    // 100 − 1.
    expect(await score(run, '利州区')).toBe(99);
    const items = await run.engine.items('c', '利州区');
    expect(items.map((i) => [i.item, i.light, i.yellows ?? 0])).toEqual([
      ['排污口整治', 'yellow', 2],
      ['信访件-017', 'yellow', 1],
    ]);
  });

  it('when a petition case is given a red, then 2 points off, the principal is interviewed and held to account, and the unit shows red', async () => {
    const run = await started();
    await assess(run, '2018-07-02T10:00:00', '利州区', '排污口整治', 'blue');
    await assess(run, '2018-07-02T10:00:00', '利州区', '信访件-017', 'red');
    // 「被亮红灯的，扣2分，约谈主要负责人，追责问责」
    expect(actionsTaken(run.effects)).toEqual(['利州区:约谈主要负责人', '利州区:追责问责']);
    expect(await score(run, '利州区')).toBe(98);
    const state = await run.engine.state('c/利州区');
    expect(state.light).toBe('red');
    // Items by light: one blue, one red; 昭化区's task (due 31 August) is green.
    expect(state.itemLights).toEqual({ green: 0, yellow: 0, red: 1, blue: 1 });
    expect((await run.engine.rollup('c')).lights?.items).toEqual({ green: 1, yellow: 0, red: 1, blue: 1 });
  });

  it('when a task with a due day is not done by it, then yellow 5 working days before (Friday 24 August), red from 1 September at 2 points, red whatever the label until resolved', async () => {
    const run = await started();
    const light = async () => (await run.engine.items('c', '昭化区'))[0]?.light;
    await run.runTo('2018-08-23T23:00:00');
    expect(await light()).toBe('green');
    // 5 working days counted back from Friday 31 August: 30, 29, 28, 27 and Friday 24 August.
    await run.runTo('2018-08-24T10:00:00');
    expect(await light()).toBe('yellow');
    expect(actionsTaken(run.effects)).toEqual([]);
    await run.runTo('2018-09-01T10:00:00');
    expect(await light()).toBe('red');
    expect(actionsTaken(run.effects)).toEqual(['昭化区:约谈主要负责人', '昭化区:追责问责']);
    // The office's yellow is the task's second: 专函督办 and 1 more point; the overdue task stays red.
    await assess(run, '2018-09-03T10:00:00', '昭化区', '河道采砂整治', 'yellow');
    expect(await light()).toBe('red');
    expect(actionsTaken(run.effects).slice(2)).toEqual(['昭化区:专函督办']);
    // 100 − 2 − 1.
    expect(await score(run, '昭化区')).toBe(97);
    await run.engine.send('c/昭化区', { type: 'item.resolved', item: '河道采砂整治' });
    expect(await light()).toBe('yellow');
  });

  it('when the office labels an item with no colour, labels as a unit, or labels an unknown item, then each is refused with its code and nothing changes', async () => {
    const run = await started();
    const before = (await run.engine.state('c/利州区')).revision;
    const code = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof EngineError ? e.code : String(e)));
    expect(await code(run.engine.send('c/利州区', { type: 'item.assessed', item: '排污口整治', light: 'purple' } as never, OFFICE))).toBe('ENGINE_INVALID_PAYLOAD');
    expect(await code(run.engine.send('c/利州区', { type: 'item.assessed', item: '排污口整治', light: 'red' }, { actor: '区长', roles: ['责任单位'] }))).toBe('ENGINE_FORBIDDEN');
    expect(await code(run.engine.send('c/利州区', { type: 'item.assessed', item: '无此事项', light: 'red' }, OFFICE))).toBe('ENGINE_UNKNOWN_TRACKED_ITEM');
    expect((await run.engine.state('c/利州区')).revision).toBe(before);
    expect(run.effects.filter((e) => e.action !== undefined)).toEqual([]);
  });

  it('when run on SQLite, then a red and a second yellow cost the unit 3 points as in memory', async () => {
    const store = await createKyselyStore({ sqlite: tempDatabase() });
    const run = await started(store);
    await assess(run, '2018-07-02T10:00:00', '利州区', '排污口整治', 'yellow');
    await assess(run, '2018-08-01T10:00:00', '利州区', '排污口整治', 'red');
    await assess(run, '2018-09-03T10:00:00', '利州区', '排污口整治', 'yellow');
    expect(actionsTaken(run.effects, '利州区')).toEqual(['利州区:约谈主要负责人', '利州区:追责问责', '利州区:专函督办']);
    expect(await score(run, '利州区')).toBe(97);
    await run.engine.close();
  });

  it('when the engine on SQLite is closed on 20 August and opened again, then 昭化区’s task still turns yellow on 24 August and red on 1 September from its stored timers', async () => {
    const file = tempDatabase();
    const first = await started(await createKyselyStore({ sqlite: file }));
    await first.runTo('2018-08-20T10:00:00');
    await first.engine.close();
    const clock = new VirtualClock(first.clock.now());
    const engine = createEngine({ store: await createKyselyStore({ sqlite: file }), clock, effects: { deliver: () => undefined } });
    const light = async () => (await engine.items('c', '昭化区'))[0]?.light;
    expect(await light()).toBe('green');
    await runUntil(engine, clock, shanghai('2018-08-24T10:00:00'));
    expect(await light()).toBe('yellow');
    await runUntil(engine, clock, shanghai('2018-09-01T10:00:00'));
    expect(await light()).toBe('red');
    // The red card cost 2 points after the restart as before it: 100 − 2.
    expect((await engine.subjects('c/昭化区')).find((s) => s.kind === 'unit')?.scores['年度环保督察考核']).toBe(98);
    await engine.close();
  });
});
