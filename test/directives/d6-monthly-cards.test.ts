import { beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '@luoshi/engine';
import { loadScenarioFile, simulate, type ScenarioFile, type SimulationResult } from '@luoshi/sim';
import { root } from '../support/campaign-harness.js';
import { startOnEngine, validateDirective, type EngineDirectiveRun } from '../support/directive-run.js';
import { validatedDirective } from '../support/worked-directive.js';
import { D6_OFFICE, D6_ORGANISATION } from '../support/d6-organisation.js';

/*
 * D6 (三亚 红黄绿亮牌): "市投资项目建设领导小组办公室和各区政府每月亮牌" — cards every month, whether or not the
 * figures came in. examples/directives/d6-sanya-liangpai.yaml says `every: 每月` on both kinds: a month
 * with a report is carded by it (against the share due then), a month without one at its turn, on the
 * cumulative investment as last reported, against the share at the month's end. Every expected value is
 * worked out by hand from the directive's rule: project year plan 1,200 (100 a month), area task 6,000
 * (500 a month); projects ≤ 50 % short yellow, more red; areas met green, missed yellow, missed two
 * months running red.
 */

describe('D6 三亚: an area that stops reporting after March is still carded every month', () => {
  const process = '项目建设亮牌督办';
  const directive = validatedDirective('d6-sanya-liangpai.yaml');
  const organisation = D6_ORGANISATION;
  const OFFICE = D6_OFFICE;
  const seen: { at: string; project?: string; area?: string; level?: string; actions: string[] }[] = [];
  let run: EngineDirectiveRun;

  const look = async (at: string, before: number): Promise<void> => {
    const items = await run.engine.items('c');
    const project = items.find((i) => i.item === '凤凰岛二期');
    const area = items.find((i) => i.item === '吉阳区全社会投资');
    seen.push({
      at,
      ...(project?.light ? { project: project.light } : {}),
      ...(area?.light ? { area: area.light } : {}),
      ...(project?.level ? { level: project.level } : {}),
      actions: run.effects.slice(before).flatMap((e: Effect) => (e.action !== undefined ? [e.action] : [])),
    });
  };

  beforeAll(async () => {
    run = await startOnEngine(directive.definitions, process, organisation, '2022-01-01T00:00:00');
    // February's and March's figures come in on the 3rd; then nothing.
    for (const [at, project, area] of [
      ['2022-02-03T10:00:00', 100, 520],
      ['2022-03-03T10:00:00', 150, 900],
    ] as const) {
      await run.runTo(at);
      const before = run.effects.length;
      await run.engine.send('c/吉阳区', { type: 'item.progress', item: '凤凰岛二期', done: project }, OFFICE);
      await run.engine.send('c/吉阳区', { type: 'item.progress', item: '吉阳区全社会投资', done: area }, OFFICE);
      await run.engine.deliverEffects();
      await look(at, before);
    }
    for (const at of ['2022-04-01T00:00:00', '2022-05-01T00:00:00', '2022-06-01T00:00:00']) {
      const before = run.effects.length;
      await run.runTo(at);
      await look(at, before);
    }
  });

  it('then the reports card as before: 100 of 100 and 520 of 500 green; 150 of 200 yellow (25 % short) and 900 of 1,000 a miss, yellow', () => {
    expect(seen.slice(0, 2).map((s) => [s.project, s.area, s.actions])).toEqual([
      ['green', 'green', []],
      ['yellow', 'yellow', ['约谈项目责任人']],
    ]);
  });

  it('then 1 April gives no card (March had its report of the 3rd)', () => {
    expect(seen[2]).toMatchObject({ project: 'yellow', area: 'yellow', level: '区级', actions: [] });
  });

  it('then 1 May cards unreported April: the project 150 of 400 (62.5 % short) red, the city leader interviews; the area 900 of 2,000, its second miss running, red', () => {
    expect(seen[3]).toMatchObject({ project: 'red', area: 'red', level: '区级', actions: ['市领导约谈'] });
  });

  it('then 1 June cards unreported May: the project 150 of 500 red again, its second red running escalates it to 市级; the area stays red', async () => {
    expect(seen[4]).toMatchObject({ project: 'red', area: 'red', level: '市级', actions: ['市领导约谈'] });
    expect(run.effects.filter((e) => e.effect === 'item-escalated').map((e) => e.title)).toEqual(['年度计划投资1000万元以上的重点项目「凤凰岛二期」升级为市级挂牌督办']);
    const items = await run.engine.items('c');
    expect(items.map((i) => [i.item, i.yellows ?? 0, i.reds ?? 0])).toEqual([
      ['凤凰岛二期', 1, 2],
      ['吉阳区全社会投资', 1, 2],
    ]);
  });
});

describe('D6 三亚: the baseline scenario with areas that never report (unreported: 1)', () => {
  // organisations/d6-sanya.yaml: seven areas, each with its investment task and four projects, listed on 1 January.
  const AREAS = 7;
  const PROJECTS = 28;
  let result: SimulationResult;
  let effects: Effect[];

  beforeAll(async () => {
    const definitions = validateDirective('d6-sanya-liangpai.yaml');
    const loaded = loadScenarioFile(`${root}examples/scenarios/d6-baseline.yaml`);
    const base = loaded.scenario as ScenarioFile;
    const silent = { openedPerUnitPerMonth: 0, resolveDays: 1e7, passRate: 1, progress: { kind: 'fixed' as const, mean: 1 }, unreported: 1 };
    const kinds = Object.fromEntries(Object.entries(base.behaviour.kinds ?? {}).map(([kind, b]) => [kind, b.items ? { ...b, items: silent } : b]));
    const scenario: ScenarioFile = { ...base, behaviour: { default: { ...base.behaviour.default, items: silent }, kinds } };
    effects = [];
    result = await simulate({ definitions, processId: '项目建设亮牌督办', scenario, ...(loaded.organisation ? { organisation: loaded.organisation } : {}), onEffect: (e) => effects.push(e) });
  });

  it('then no figure is sent, and every item listed on 1 January is carded at every turn from 1 March to 1 January: 11 cards', () => {
    expect(result.events.sent['item.progress'] ?? 0).toBe(0);
    // Nothing reported: every project is 100 % short at each turn, red; the city leader interviews each time.
    expect(effects.filter((e) => e.action === '市领导约谈')).toHaveLength(11 * PROJECTS);
    // escalateAfterReds 2 over [区级, 市级]: once each, at the second red (1 April).
    expect(effects.filter((e) => e.effect === 'item-escalated')).toHaveLength(PROJECTS);
  });

  it('then the month-end board shows January green, February projects red and areas at their first miss yellow, every later month all red', () => {
    expect(result.lights?.months[0]?.items).toEqual({ red: 0, yellow: 0, green: AREAS + PROJECTS, blue: 0 });
    expect(result.lights?.months[1]?.items).toEqual({ red: PROJECTS, yellow: AREAS, green: 0, blue: 0 });
    for (const m of result.lights?.months.slice(2) ?? []) expect(m.items).toEqual({ red: AREAS + PROJECTS, yellow: 0, green: 0, blue: 0 });
  });
});
