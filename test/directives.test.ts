import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationResult } from '@luoshi/dsl';
import { createEngine, EngineError, runUntil, VirtualClock, type Effect, type OrganisationUnit, type Store } from '@luoshi/engine';
import type { SimulationResult } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { simulateBaseline, startDirective, startOnEngine, unitsNamed, validateDirective, type DirectiveRun, type EngineDirectiveRun } from './support/directive-run.js';

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

/** A worked directive validated and its baseline simulated once for its `describe`. */
interface Directive {
  readonly definitions: ValidationResult;
  readonly result: SimulationResult;
}

/**
 * Validates `examples/directives/<file>` and simulates `examples/scenarios/<scenario>.yaml` before the
 * enclosing `describe`'s tests, and adds the test every worked directive must pass: no diagnostic.
 */
function workedDirective(file: string, processId: string, scenario: string): Directive {
  const loaded: { definitions?: ValidationResult; result?: SimulationResult } = {};
  beforeAll(async () => {
    loaded.definitions = validateDirective(file);
    loaded.result = await simulateBaseline(loaded.definitions, processId, scenario);
  });
  it('when the file is validated, then it has no error and no warning', () => {
    expect(loaded.definitions?.diagnostics).toEqual([]);
    expect(loaded.definitions?.ok).toBe(true);
  });
  return {
    get definitions() {
      if (!loaded.definitions) throw new Error(`${file} is not validated yet`);
      return loaded.definitions;
    },
    get result() {
      if (!loaded.result) throw new Error(`${scenario} is not simulated yet`);
      return loaded.result;
    },
  };
}

/** The tasks of one item of an instance, in occurrence order. */
async function itemTasks(run: DirectiveRun, instance: string, item: string) {
  return (await run.driver.tasks(instance)).filter((t) => t.item === item);
}

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

/** The validated file of a worked directive whose baseline scenario is not needed by its tests: it must have no diagnostic at all. */
function validatedDirective(file: string): { readonly definitions: ValidationResult } {
  const loaded: { definitions?: ValidationResult } = {};
  beforeAll(() => {
    loaded.definitions = validateDirective(file);
  });
  it('when the file is validated, then it has no error and no warning', () => {
    expect(loaded.definitions?.diagnostics).toEqual([]);
    expect(loaded.definitions?.ok).toBe(true);
  });
  return {
    get definitions() {
      if (!loaded.definitions) throw new Error(`${file} is not validated yet`);
      return loaded.definitions;
    },
  };
}

/** The actions taken (effects of file actions), in order, of one unit or all. */
function actionsTaken(effects: readonly Effect[], unit?: string): string[] {
  return effects.filter((e) => e.action !== undefined && (unit === undefined || e.unitId === unit)).map((e) => `${e.unitId}:${e.action}`);
}

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

describe('D6 三亚市推进项目建设红黄绿亮牌督办机制 (2022)', () => {
  const process = '项目建设亮牌督办';
  const directive = validatedDirective('d6-sanya-liangpai.yaml');
  // 吉阳区's key-project list: one project with a year plan of 1,200 (万元), and the area's own task, 6,000.
  const organisation: OrganisationUnit = {
    id: '市投资办',
    units: [
      {
        id: '吉阳区',
        items: [
          { id: '凤凰岛二期', kind: '重点项目', owner: '某集团', target: 1200 },
          { id: '吉阳区全社会投资', kind: '片区投资任务', target: 6000 },
        ],
      },
    ],
  };
  const OFFICE = { actor: '投资办', roles: ['投资办'] };
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
