import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGoldenHistory } from './support/golden-history.js';
import { openHarness, organisation, shanghai, tempDatabase, type Harness } from './support/campaign-harness.js';

const WUXUE = ['学理论记录', '学决定记录', '学报告记录', '学先进记录', '学业务记录'];

/** Seed 000 (三型机关动员月, 2011) over an office and 22 units of 3 members. */
describe('given seed 000 over 22 units with 3 members each', () => {
  let h: Harness;
  const c = 'sx2011';
  const seen: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await openHarness(tempDatabase(), '2011-10-01T00:00:00');
    await h.engine.startCampaign({ process: '三型机关动员月', organisation: organisation(22, 3), campaignId: c });
    h.clock.advanceTo(shanghai('2011-10-09T10:00:00'));
    for (const task of WUXUE) await h.engine.send(`${c}/u01`, { type: 'task.completed', task });
    for (const task of ['制定活动方案', '动员大会', '报送活动方案']) await h.engine.send(`${c}/u01`, { type: 'task.completed', task });
    seen.u01 = await h.engine.state(`${c}/u01`);
    seen.u02 = await h.engine.state(`${c}/u02`);
    await h.runTo('2011-10-21T08:00:00');
    seen.october = await h.engine.rollup(c);
    await h.runTo('2011-11-02T09:00:00');
    await h.engine.send(`${c}/u07`, { type: 'finding.recorded', inspection: '督促检查' });
    seen.officeTasks = await h.engine.tasks(`${c}/office`);
    await h.runTo('2011-12-02T00:00:00');
  });
  afterAll(() => h.close());

  it('then 五学 completes as a sub-process in the unit that did all five studies only', () => {
    expect((seen.u01 as { value: unknown }).value).toMatchObject({ 学习动员: { 五学: 'done', work: 'done' } });
    expect((seen.u02 as { value: unknown }).value).toMatchObject({ 学习动员: { 五学: 'running', work: 'working' } });
  });

  it('then on 21 October every unit is in 对照检查 and all but u01 missed 报送活动方案', () => {
    expect(seen.october).toMatchObject({ units: 23, phases: { 对照检查: 23 } });
    const overdue = h.effects.filter((e) => e.cause === 'overdue:报送活动方案');
    expect(overdue).toHaveLength(21);
    expect(overdue.every((e) => e.at === shanghai('2011-10-19T00:00:00') && e.action === '逾期提醒')).toBe(true);
    expect(overdue.some((e) => e.unitId === 'u01')).toBe(false);
    // Reminders two working days before 18 October (a Tuesday): Monday 17th, 00:00… counted back from the deadline.
    const reminders = h.effects.filter((e) => e.cause === 'remind:报送活动方案');
    expect(reminders).toHaveLength(21);
    expect(new Set(reminders.map((e) => e.at))).toEqual(new Set([shanghai('2011-10-17T00:00:00')]));
  });

  it('then the office review counted from 创建标准 falls due five working days after its deadline', () => {
    const review = (seen.officeTasks as { item: string; dueAt?: number }[]).find((t) => t.item === '规划审核');
    // 创建标准 is due 8 November (Tuesday); five working days: 9, 10, 11, 14, 15 November.
    expect(review?.dueAt).toBe(shanghai('2011-11-16T00:00:00'));
  });

  it('then the weekly 简报 of the office recurs every Tuesday of November', async () => {
    const briefs = (await h.engine.tasks(`${c}/office`)).filter((t) => t.item === '活动简报');
    expect(briefs.map((t) => t.occurrence)).toEqual([0, 1, 2, 3, 4]);
  });

  it('then a finding criticises u07, flags it and starts ten-working-day rectification rounds until the campaign ends', async () => {
    expect(h.effects.filter((e) => e.unitId === 'u07' && e.cause === 'finding:督促检查').map((e) => e.action)).toEqual(['通报批评', '限时整改通知']);
    expect((await h.engine.subjects(`${c}/u07`))[0]?.flags).toEqual(['被通报批评']);
    const rounds = (await h.engine.history(`${c}/u07`)).filter((e) => (e.event as { key?: string }).key === 'rectify:督促检查');
    // Found 2 November: ten working days end with 16 November; the second round would end with
    // 30 November, the instant the campaign ends, so the campaign end comes first and no timer is left.
    expect(rounds.map((e) => e.at)).toEqual([shanghai('2011-11-17T00:00:00')]);
    expect((await h.engine.state(`${c}/u07`)).inspections).toEqual({ 督促检查: 'rectifying' });
    expect(await h.engine.store.timers(`${c}/u07`)).toEqual([]);
  });

  it('then the campaign ends on 1 December for every unit and each replays to its stored state', async () => {
    expect(await h.engine.rollup(c)).toMatchObject({ ended: 23 });
    for (const u of ['office', 'u01', 'u07', 'u22']) await expect(h.engine.replay(`${c}/${u}`)).resolves.toBeTruthy();
  });

  it('then the history of every instance and every effect equal the committed golden record', async () => {
    await expectGoldenHistory(h.engine, c, h.effects, 'history-seed-000.json');
  });
});

/** Seed 004 (机关创新行动, 2009) over an office and 20 units of 3 members. */
describe('given seed 004 over 20 units with 3 members each', () => {
  let h: Harness;
  const c = 'cx2009';
  const units = Array.from({ length: 20 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
  const seen: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await openHarness(tempDatabase(), '2009-04-01T00:00:00');
    await h.engine.startCampaign({ process: '机关创新行动', organisation: organisation(20, 3), campaignId: c });
    await h.runTo('2009-07-01T10:00:00');
    for (const u of units) await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation: '平时考核', score: 60 + Number(u.slice(1)) });
    await h.runTo('2009-11-10T10:00:00');
    seen.phases = await h.engine.rollup(c);
    for (const u of units) {
      const score = 60 + Number(u.slice(1));
      await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation: '民主测评', score });
      await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation: '满意度得分', score });
    }
    seen.survey = await h.engine.state(`${c}/u20`);
    await h.engine.send(`${c}/u20`, { type: 'task.completed', task: '测评结果反馈整改' });
    seen.surveyDone = await h.engine.state(`${c}/u20`);
    await h.runTo('2009-12-20T10:00:00');
    for (const u of units) await h.engine.send(`${c}/${u}`, { type: 'score.given', evaluation: '年度考核', score: 60 + Number(u.slice(1)) });
    await h.runTo('2010-01-02T00:00:00');
  });
  afterAll(() => h.close());

  it('then the units are in the inspection phase in November', () => {
    expect(seen.phases).toMatchObject({ units: 21, phases: { 对照检查: 21 } });
  });

  it('then the satisfaction survey runs its two parts in sequence', () => {
    expect((seen.survey as { value: unknown }).value).toMatchObject({ 对照检查: { 满意度测评: 'running' } });
    expect((seen.surveyDone as { value: unknown }).value).toMatchObject({ 对照检查: { 满意度测评: 'done' } });
  });

  it('then the best three are commended and the last two admonished at year end', async () => {
    const top = h.effects.filter((e) => e.cause === 'ranking:考核结果运用:top');
    expect(top.map((e) => [e.unitId, e.action])).toEqual([
      ['u18', '表彰奖励'],
      ['u19', '表彰奖励'],
      ['u20', '表彰奖励'],
    ]);
    const bottom = h.effects.filter((e) => e.cause === 'ranking:考核结果运用:bottom');
    expect(bottom.map((e) => [e.unitId, e.action])).toEqual([
      ['u01', '约谈督促'],
      ['u02', '约谈督促'],
    ]);
    expect((await h.engine.subjects(`${c}/u20`))[0]).toMatchObject({ flags: ['评先资格'], ranks: { 考核结果运用: 1 } });
    expect((await h.engine.subjects(`${c}/u01`))[0]).toMatchObject({ flags: ['考核靠后'], ranks: { 考核结果运用: 20 } });
  });

  it('then every unit reached the end of the campaign', async () => {
    expect(await h.engine.rollup(c)).toMatchObject({ units: 21, ended: 21 });
  });

  it('then the history of every instance and every effect equal the committed golden record', async () => {
    await expectGoldenHistory(h.engine, c, h.effects, 'history-seed-004.json');
  });
});
