import { describe, expect, it } from 'vitest';
import { createMemoryStore, EngineError, runUntil, type HostEvent } from '@luoshi/engine';
import { engineWith, organisation, shanghai } from './support/harness.js';

const CAMPAIGN = `
kind: campaign
id: 测试活动
title: 测试活动
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 取消评优, title: 取消评优 }
  - { id: 重点整改, title: 重点整改, subject: unit }
actions:
  - { id: 诫勉谈话, title: 诫勉谈话, effect: admonish }
  - { id: 通报批评, title: 通报批评, effect: criticise }
  - { id: 交流换岗, title: 交流换岗, effect: transfer }
  - { id: 逾期提醒, title: 逾期提醒, effect: remind }
  - { id: 表彰, title: 表彰, effect: commend }
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月15日前, remindBefore: 2个工作日, onOverdue: { actions: [逾期提醒] } }
      - { id: 细则, title: 细则, owner: 单位, due: 方案后5个工作日内 }
      - { id: 部署会, title: 部署会, owner: 办公室, due: 3月10日 }
  - id: 实施
    title: 实施
    window: 4月至5月
    exit: all-required-done
    recurring:
      - { id: 月学习, title: 每月学习, owner: 单位, every: 每月, missed: skip }
    tasks:
      - { id: 个人承诺, title: 个人承诺, owner: 党员, subject: member, due: 5月20日 }
    evaluations:
      - { id: 测评, title: 测评, by: 办公室, subject: unit, scale: { min: 0, max: 10 }, due: 5月25日 }
    inspections:
      - id: 督查
        title: 督查
        by: 办公室
        rectifyWithin: 10天
        maxRounds: 2
        onFinding: { actions: [通报批评] }
        onExhausted: { flags: [重点整改] }
  - id: 总结
    title: 总结
    window: 6月
ladders:
  - id: 投诉
    title: 投诉
    on: { event: complaint-verified }
    rungs:
      - { level: 1, actions: [诫勉谈话] }
      - { level: 2, actions: [通报批评] }
      - { level: 3, actions: [交流换岗], flags: [取消评优] }
rankings:
  - id: 评比
    title: 评比
    subject: unit
    at: 6月30日
    weights: { 测评: 1 }
    eligible: not flags.重点整改
    top: { count: 1, actions: [表彰] }
`;

async function setup(units = 3, members = 2) {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation(units, members), campaignId: 'c' });
  return h;
}

function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (e instanceof EngineError ? e.code : `not an EngineError: ${String(e)}`),
  );
}

describe('given a campaign over an office and three units', () => {
  it('when it starts, then each unit holds its own tasks and the office only office work', async () => {
    const { engine } = await setup();
    const unitTasks = (await engine.tasks('c/u01')).map((t) => `${t.key}:${t.status}`);
    // 细则 counts from 方案's deadline until 方案 is done.
    expect(unitTasks).toEqual(['方案:open', '细则:open']);
    expect((await engine.tasks('c/office')).map((t) => t.key)).toEqual(['部署会']);
    expect((await engine.state('c/u01')).phase).toBe('动员');
  });

  it('when a task is completed, then a task counted from it gets its due date in working days', async () => {
    const { engine, clock } = await setup();
    clock.advanceTo(shanghai('2024-03-08T10:00:00')); // a Friday
    await engine.send('c/u01', { type: 'task.completed', task: '方案' }, { actor: '张三' });
    const tasks = await engine.tasks('c/u01');
    const plan = tasks.find((t) => t.item === '方案');
    expect(plan).toMatchObject({ status: 'done', completedBy: '张三' });
    // Five working days after Friday 8 March: 11, 12, 13, 14, 15 March; due when the 15th is over.
    expect(tasks.find((t) => t.item === '细则')).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-16T00:00:00') });
  });

  it('when a deadline passes, then the reminder comes two working days before and the overdue action after', async () => {
    const { engine, clock, effects } = await setup(1, 1);
    await runUntil(engine, clock, shanghai('2024-03-14T00:00:00'));
    await engine.deliverEffects();
    expect(effects.map((e) => [e.effect, e.cause, e.at])).toEqual([['remind', 'remind:方案', shanghai('2024-03-14T00:00:00')]]);
    await runUntil(engine, clock, shanghai('2024-03-17T00:00:00'));
    await engine.deliverEffects();
    expect(effects.slice(1).map((e) => [e.action, e.cause, e.at])).toEqual([['逾期提醒', 'overdue:方案', shanghai('2024-03-16T00:00:00')]]);
    expect((await engine.state('c/u01')).overdue).toBe(1);
  });

  it('when verified complaints against one member accumulate, then each climbs one rung and the third sets the flag', async () => {
    const { engine, effects } = await setup();
    for (let i = 0; i < 3; i++) await engine.send('c/u02', { type: 'complaint.verified', member: 'u02-m1' });
    await engine.deliverEffects();
    expect(effects.map((e) => `${e.memberId} ${e.action} ${e.cause}`)).toEqual([
      'u02-m1 诫勉谈话 ladder:投诉:1',
      'u02-m1 通报批评 ladder:投诉:2',
      'u02-m1 交流换岗 ladder:投诉:3',
    ]);
    const member = (await engine.subjects('c/u02')).find((s) => s.subject === 'u02-m1');
    expect(member).toMatchObject({ ladders: { 投诉: 3 }, flags: ['取消评优'] });
    expect((await engine.subjects('c/u02')).find((s) => s.subject === 'u02-m2')?.ladders).toEqual({});
    expect((await engine.rollup('c')).escalated).toBe(1);
  });

  it('when the same idempotency key is sent twice, then the event is applied once', async () => {
    const { engine, effects } = await setup();
    const first = await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' }, { idempotencyKey: 'k1' });
    const second = await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' }, { idempotencyKey: 'k1' });
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, revision: first.revision });
    await engine.deliverEffects();
    expect(effects).toHaveLength(1);
    expect((await engine.history('c/u01')).filter((h) => h.idempotencyKey === 'k1')).toHaveLength(1);
  });

  it('when many events reach one instance at once, then none is lost', async () => {
    const { engine } = await setup();
    const before = (await engine.state('c/u03')).revision;
    await Promise.all(Array.from({ length: 40 }, () => engine.send('c/u03', { type: 'complaint.verified', member: 'u03-m2' })));
    const after = await engine.state('c/u03');
    expect(after.revision).toBe(before + 40);
    expect((await engine.subjects('c/u03')).find((s) => s.subject === 'u03-m2')?.ladders.投诉).toBe(40);
    await expect(engine.replay('c/u03')).resolves.toMatchObject({ revision: before + 40 });
  });

  describe('bad input changes nothing', () => {
    const cases: [string, string, unknown][] = [
      ['unknown event type', 'ENGINE_UNKNOWN_EVENT', { type: 'task.finished', task: '方案' }],
      ['unknown task', 'ENGINE_UNKNOWN_TASK', { type: 'task.completed', task: '不存在' }],
      ['office task in a unit', 'ENGINE_UNKNOWN_TASK', { type: 'task.completed', task: '部署会' }],
      ['task not open yet', 'ENGINE_TASK_NOT_OPEN', { type: 'task.completed', task: '月学习' }],
      ['unknown member', 'ENGINE_UNKNOWN_MEMBER', { type: 'complaint.verified', member: '无此人' }],
      ['complaint without member', 'ENGINE_INVALID_PAYLOAD', { type: 'complaint.verified' }],
      ['score before its phase', 'ENGINE_TASK_NOT_OPEN', { type: 'score.given', evaluation: '测评', score: 5 }],
      ['unknown evaluation', 'ENGINE_UNKNOWN_ITEM', { type: 'score.given', evaluation: '无', score: 5 }],
      ['score not a number', 'ENGINE_INVALID_PAYLOAD', { type: 'score.given', evaluation: '测评', score: '5' }],
      ['unknown inspection', 'ENGINE_UNKNOWN_ITEM', { type: 'finding.recorded', inspection: '无' }],
      ['rectification with no finding', 'ENGINE_INSPECTION_STATE', { type: 'rectification.done', inspection: '督查' }],
      ['fields not flat', 'ENGINE_INVALID_PAYLOAD', { type: 'complaint.verified', member: 'u01-m1', fields: { a: { b: 1 } } }],
      ['not an object', 'ENGINE_INVALID_PAYLOAD', 'task.completed'],
    ];
    for (const [name, expected, event] of cases) {
      it(`when the event is ${name}, then ${expected} and the instance is untouched`, async () => {
        const { engine, store } = await setup();
        const before = await store.getInstance('c/u01');
        const timers = await store.timers('c/u01');
        expect(await code(engine.send('c/u01', event as HostEvent))).toBe(expected);
        expect(await store.getInstance('c/u01')).toEqual(before);
        expect(await store.timers('c/u01')).toEqual(timers);
        expect(await store.history('c/u01')).toHaveLength(1);
      });
    }

    it('when a score is out of range, then ENGINE_SCORE_OUT_OF_RANGE names the range in both languages', async () => {
      const { engine, clock } = await setup();
      await runUntil(engine, clock, shanghai('2024-04-02T00:00:00'));
      const error = await engine.send('c/u01', { type: 'score.given', evaluation: '测评', score: 11 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('ENGINE_SCORE_OUT_OF_RANGE');
      expect((error as EngineError).messages.zh).toContain('0 至 10');
      expect((error as EngineError).messages.en).toContain('outside 0 to 10');
    });

    it('when the host says the actor lacks the role a task names, then ENGINE_FORBIDDEN and nothing changes; with it, the task is done', async () => {
      const { engine, store } = await setup();
      const before = await store.getInstance('c/u01');
      const refused = await engine.send('c/u01', { type: 'task.completed', task: '方案' }, { actor: '李四', roles: ['党员'] }).catch((e: unknown) => e);
      expect((refused as EngineError).code).toBe('ENGINE_FORBIDDEN');
      expect((refused as EngineError).messages.zh).toBe('李四 不具有「方案」规定的角色「单位」');
      expect(await store.getInstance('c/u01')).toEqual(before);
      await engine.send('c/u01', { type: 'task.completed', task: '方案' }, { actor: '张三', roles: ['党员', '单位'] });
      expect((await engine.tasks('c/u01')).find((t) => t.item === '方案')).toMatchObject({ status: 'done', completedBy: '张三' });
    });

    it('when the instance or campaign is unknown, then a not-found code', async () => {
      const { engine } = await setup();
      expect(await code(engine.send('c/nobody', { type: 'complaint.verified', member: 'x' }))).toBe('ENGINE_INSTANCE_NOT_FOUND');
      expect(await code(engine.rollup('nope'))).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
      expect(await code(engine.startCampaign({ process: '无此过程', organisation: organisation(1, 1) }))).toBe('ENGINE_PROCESS_NOT_FOUND');
    });

    it('when the organisation repeats a unit, then ENGINE_INVALID_ORGANISATION and no campaign is stored', async () => {
      const { engine, processId, store } = await setup();
      const org = { id: 'o', units: [{ id: 'a' }, { id: 'a' }] };
      expect(await code(engine.startCampaign({ process: processId, organisation: org, campaignId: 'c2' }))).toBe('ENGINE_INVALID_ORGANISATION');
      expect(await store.getCampaign('c2')).toBeUndefined();
    });
  });

  describe('when the year runs on', () => {
    it('then an all-required-done phase waits for its work, inspections loop and escalate, and the ranking places the best', async () => {
      const { engine, clock, effects } = await setup(3, 1);
      for (const u of ['u01', 'u02', 'u03']) await engine.send(`c/${u}`, { type: 'task.completed', task: '方案' });
      await runUntil(engine, clock, shanghai('2024-04-01T00:00:01'));
      expect((await engine.state('c/u01')).phase).toBe('实施');

      // 督查 on u02: a finding, no rectification in 10 days, a failed second round: exhausted and flagged.
      clock.advanceTo(shanghai('2024-04-03T09:00:00'));
      await engine.send('c/u02', { type: 'finding.recorded', inspection: '督查' });
      expect((await engine.state('c/u02')).inspections).toEqual({ 督查: 'rectifying' });
      expect((await engine.state('c/u01')).inspections).toEqual({ 督查: 'clear' });
      await runUntil(engine, clock, shanghai('2024-04-14T00:00:01'));
      await engine.send('c/u02', { type: 'rectification.done', inspection: '督查' });
      expect((await engine.instances('c')).find((i) => i.unitId === 'u02')?.inspections).toEqual({ 督查: 'reinspecting' });
      await engine.send('c/u02', { type: 'reinspection.recorded', inspection: '督查', passed: false });
      expect((await engine.state('c/u02')).inspections).toEqual({ 督查: 'exhausted' });
      expect((await engine.subjects('c/u02'))[0]?.flags).toEqual(['重点整改']);

      // Everything of 实施 done in u01 and u03 except the monthly study of May; u02 does all.
      for (const u of ['u01', 'u02', 'u03']) {
        await engine.send(`c/${u}`, { type: 'task.completed', task: '月学习' });
        await engine.send(`c/${u}`, { type: 'task.completed', task: '个人承诺', member: `${u}-m1` });
        await engine.send(`c/${u}`, { type: 'score.given', evaluation: '测评', score: u === 'u01' ? 6 : u === 'u02' ? 9 : 8 });
      }
      await runUntil(engine, clock, shanghai('2024-05-02T00:00:00'));
      expect((await engine.state('c/u02')).phase).toBe('实施');
      await engine.send('c/u02', { type: 'task.completed', task: '月学习' });
      // The phase has no window end: it leaves as soon as the last required work is done.
      expect((await engine.state('c/u02')).phase).toBe('总结');
      expect((await engine.state('c/u01')).phase).toBe('实施');

      await runUntil(engine, clock, shanghai('2024-07-01T00:00:00'));
      await engine.deliverEffects();
      // u02 scored best but is 重点整改, so not eligible: u03 is placed first.
      expect((await engine.subjects('c/u03'))[0]?.ranks).toEqual({ 评比: 1 });
      expect((await engine.subjects('c/u02'))[0]?.ranks).toEqual({});
      expect(effects.filter((e) => e.action === '表彰').map((e) => e.unitId)).toEqual(['u03']);
      expect(effects.filter((e) => e.action === '通报批评' && e.cause.startsWith('finding')).map((e) => e.unitId)).toEqual(['u02']);
      expect((await engine.state('c/u02')).phase).toBe('ended');
      for (const u of ['office', 'u01', 'u02', 'u03']) await expect(engine.replay(`c/${u}`)).resolves.toBeTruthy();
    });

    it('then a monthly duty with missed: skip creates no occurrence for a month the engine slept through', async () => {
      const { engine, clock } = await setup(1, 1);
      await engine.send('c/u01', { type: 'task.completed', task: '方案' });
      await runUntil(engine, clock, shanghai('2024-04-01T00:00:00'));
      expect((await engine.tasks('c/u01')).filter((t) => t.item === '月学习').map((t) => t.occurrence)).toEqual([0]);
      // Down from 1 April to 3 May: May's occurrence (1 May) fired two days late: skipped.
      clock.advanceTo(shanghai('2024-05-03T00:00:00'));
      await engine.runDueTimers();
      expect((await engine.tasks('c/u01')).filter((t) => t.item === '月学习').map((t) => t.occurrence)).toEqual([0]);
    });

    it('then after the campaign ends a host event is refused with ENGINE_CAMPAIGN_ENDED', async () => {
      const { engine, clock } = await setup(1, 1);
      await runUntil(engine, clock, shanghai('2024-04-01T00:00:00'));
      await engine.send('c/u01', { type: 'task.completed', task: '个人承诺', member: 'u01-m1' });
      await engine.send('c/u01', { type: 'score.given', evaluation: '测评', score: 7 });
      await engine.send('c/u01', { type: 'task.completed', task: '月学习' });
      await runUntil(engine, clock, shanghai('2024-05-01T00:00:00'));
      await engine.send('c/u01', { type: 'task.completed', task: '月学习' });
      await runUntil(engine, clock, shanghai('2024-08-01T00:00:00'));
      expect((await engine.state('c/u01')).phase).toBe('ended');
      const revision = (await engine.state('c/u01')).revision;
      expect(await code(engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' }))).toBe('ENGINE_CAMPAIGN_ENDED');
      expect((await engine.state('c/u01')).revision).toBe(revision);
    });
  });

  it('when the organisation is nested, then a middle unit rolls up itself and the units under it', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    const org = {
      id: '区委',
      units: [
        { id: '城关镇', members: [{ id: 'a' }], units: [{ id: '一支部', members: [{ id: 'b' }] }, { id: '二支部' }] },
        { id: '财政局', members: [{ id: 'c' }] },
      ],
    };
    await h.engine.startCampaign({ process: h.processId, organisation: org, campaignId: 'n' });
    await h.engine.send('n/一支部', { type: 'task.completed', task: '方案' });
    await h.engine.send('n/一支部', { type: 'task.completed', task: '细则' });
    await runUntil(h.engine, h.clock, shanghai('2024-03-17T00:00:00'));
    expect(await h.engine.rollup('n', '城关镇')).toMatchObject({ units: 3, overdueUnits: 2, phases: { 动员: 3 } });
    // The office's own 部署会 is overdue too; 财政局 did nothing.
    expect(await h.engine.rollup('n')).toMatchObject({ units: 5, overdueUnits: 4 });
    expect((await h.engine.state('n/二支部')).unitPath).toBe('/区委/城关镇/二支部/');
  });
});

describe('given the same campaign year on a memory store with and without history', () => {
  async function year(keepHistory: boolean) {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00', store: createMemoryStore({ keepHistory }) });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(2, 2), campaignId: 'c' });
    h.clock.advanceTo(shanghai('2024-03-05T10:00:00'));
    const first = await h.engine.send('c/u01', { type: 'task.completed', task: '方案' }, { idempotencyKey: 'k1' });
    const again = await h.engine.send('c/u01', { type: 'task.completed', task: '方案' }, { idempotencyKey: 'k1' });
    await h.engine.send('c/u02', { type: 'complaint.verified', member: 'u02-m1' });
    await runUntil(h.engine, h.clock, shanghai('2024-07-01T00:00:00'));
    await h.engine.deliverEffects();
    const states = await Promise.all(['c/office', 'c/u01', 'c/u02'].map((id) => h.engine.state(id)));
    const tasks = await Promise.all(['c/u01', 'c/u02'].map((id) => h.engine.tasks(id)));
    return { h, first, again, states, tasks, effects: h.effects.map((e) => [e.id, e.effect, e.cause, e.at]) };
  }

  it('when it runs without history, then states, tasks, effects and idempotency are the same and only the history is empty', async () => {
    const kept = await year(true);
    const bare = await year(false);
    expect(bare.again.duplicate).toBe(true);
    expect(bare.again.revision).toBe(bare.first.revision);
    expect(bare.states).toEqual(kept.states);
    expect(bare.tasks).toEqual(kept.tasks);
    expect(bare.effects).toEqual(kept.effects);
    expect(kept.effects.length).toBeGreaterThan(0);
    expect((await kept.h.engine.history('c/u01')).length).toBeGreaterThan(2);
    expect(await bare.h.engine.history('c/u01')).toEqual([]);
  });
});

describe('given a consequence that counts overdue tasks', () => {
  const withCount = `
kind: campaign
id: 逾期计数
title: 逾期计数
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 党员, title: 党员, level: member }
flags:
  - { id: 重点督办, title: 重点督办, subject: unit }
  - { id: 个人逾期, title: 个人逾期 }
phases:
  - id: 动员
    title: 动员
    window: 3月
    tasks:
      - { id: 方案, title: 报送方案, owner: 单位, due: 3月10日 }
      - { id: 台账, title: 台账, owner: 单位, due: 3月12日 }
      - { id: 承诺, title: 个人承诺, owner: 党员, subject: member, due: 3月11日 }
consequences:
  - id: 二项逾期
    title: 两项以上逾期的单位重点督办
    on: { event: task-overdue, when: "overdue >= 3" }
    subject: unit
    flags: [重点督办]
  - id: 个人逾期
    title: 个人任务逾期
    on: { event: task-overdue, when: "subject.kind == 'member' and overdue >= 1" }
    subject: member
    flags: [个人逾期]
`;

  it('when tasks fall overdue one by one, then the unit is flagged at the count the condition names and each member on their own', async () => {
    const h = await engineWith(withCount, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 2), campaignId: 'o' });
    const flagsOf = async () => Object.fromEntries((await h.engine.subjects('o/u01')).map((s) => [s.subject, s.flags]));
    // 方案 (10th) and both members' 承诺 (11th): the unit counts all three, each member only their own.
    await h.engine.send('o/u01', { type: 'task.completed', task: '承诺', member: 'u01-m2' });
    await runUntil(h.engine, h.clock, shanghai('2024-03-12T06:00:00'));
    expect((await h.engine.state('o/u01')).overdue).toBe(2);
    expect(await flagsOf()).toEqual({ unit: [], 'u01-m1': ['个人逾期'], 'u01-m2': [] });
    await runUntil(h.engine, h.clock, shanghai('2024-03-13T06:00:00'));
    expect((await h.engine.state('o/u01')).overdue).toBe(3);
    expect(await flagsOf()).toEqual({ unit: ['重点督办'], 'u01-m1': ['个人逾期'], 'u01-m2': [] });
  });
});

describe('given member records', () => {
  it('when members act, then hosts see member ids everywhere while the stored records name members by position', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    const changes: (readonly string[] | undefined)[] = [];
    h.engine.subscribe((c) => void changes.push(c.tasks));
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(2, 3), campaignId: 'r' });
    await runUntil(h.engine, h.clock, shanghai('2024-04-02T00:00:00'));
    changes.length = 0;
    await h.engine.send('r/u02', { type: 'task.completed', task: '个人承诺', member: 'u02-m3' });
    await h.engine.send('r/u02', { type: 'complaint.verified', member: 'u02-m2' });
    expect(changes).toEqual([['个人承诺@u02-m3'], []]);
    const promise = await h.engine.tasks('r/u02', { keys: ['个人承诺@u02-m3', '个人承诺@u01-m3', '个人承诺@nobody'] });
    expect(promise.map((t) => [t.key, t.member, t.status])).toEqual([['个人承诺@u02-m3', 'u02-m3', 'done']]);
    expect((await h.engine.tasks('r/u02', { member: 'u02-m1' })).map((t) => t.key)).toEqual(['个人承诺@u02-m1']);
    const subjects = await h.engine.subjects('r/u02');
    expect(subjects.map((s) => s.subject)).toEqual(['unit', 'u02-m1', 'u02-m2', 'u02-m3']);
    expect(subjects.find((s) => s.subject === 'u02-m2')?.ladders).toEqual({ 投诉: 1 });
    expect(h.effects.filter((e) => e.cause === 'ladder:投诉:1').map((e) => [e.unitId, e.memberId])).toEqual([['u02', 'u02-m2']]);
    // The members' deadline passes: the two who had not made their promise are overdue, named by id.
    await runUntil(h.engine, h.clock, shanghai('2024-05-22T00:00:00'));
    const stored = (await h.store.getInstance('r/u02'))?.snapshot.context as { tasks: (Record<string, unknown> | null)[]; ladders: Record<string, unknown[]> };
    // Per-subject records are arrays by slot: the unit first, then members by position (u02-m2 is the second).
    expect(stored.tasks.map((own) => Object.keys(own ?? {}).filter((k) => k.startsWith('个人承诺')))).toEqual([[], ['个人承诺'], ['个人承诺'], ['个人承诺']]);
    expect(stored.ladders.投诉).toEqual([null, null, { n: 1, p: '2024' }]);
    const overdue = (await h.engine.tasks('r/u02', { status: ['overdue'] })).filter((t) => t.member !== undefined);
    expect(overdue.map((t) => [t.key, t.member])).toEqual([
      ['个人承诺@u02-m1', 'u02-m1'],
      ['个人承诺@u02-m2', 'u02-m2'],
    ]);
  });
});
