import { describe, expect, it } from 'vitest';
import { EngineError, type HostEvent } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, shanghai } from './support/harness.js';

/**
 * 督办事项 (issue 19): items tracked to closure — 交办 → 报进度 → 办结 → 核验 → 销号, reopened on a
 * failed check, escalated one level (挂牌督办 县级 → 市级 → 省级) after two failed checks. Every
 * expected value below is read off the process text and the events sent.
 */
const ITEMS_CAMPAIGN = `
kind: campaign
id: 问题整改
title: 问题整改
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 整改办, title: 整改办, level: office }
  - { id: 单位, title: 各单位, level: unit }
items:
  - id: 整改任务
    title: 整改任务
    by: 整改办
    levels: [县级, 市级, 省级]
    escalateAfter: 2
    limit: 2
phases:
  - id: 整改
    title: 整改
    window: 1月1日至12月31日
    tasks:
      - { id: 报送台账, title: 报送台账, owner: 单位, due: 12月31日 }
`;

const ORGANISATION = { id: '市', units: [{ id: '甲县' }] };
const OFFICE = { actor: '王', roles: ['整改办'] };

async function started() {
  const h = await engineWith(ITEMS_CAMPAIGN, { start: '2024-03-01T09:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
  return h;
}

type Harness = Awaited<ReturnType<typeof started>>;

async function open(h: Harness, item = '河道垃圾'): Promise<void> {
  await h.engine.send('c/甲县', { type: 'item.opened', item, kind: '整改任务', owner: '李四', due: '2024-06-30', target: 100 }, OFFICE);
}

async function item(h: Harness, id = '河道垃圾') {
  return (await h.engine.items('c')).find((i) => i.item === id);
}

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EngineError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('given a campaign whose 整改办 opens 整改任务 for units, at 县级 first, escalated after every 2 failed checks', () => {
  it('when an item is opened, reported, resolved, verified and closed, then the query shows each step and it ends 已销号 at 县级', async () => {
    const h = await started();
    await open(h);
    expect(await item(h)).toMatchObject({
      unitId: '甲县',
      instanceId: 'c/甲县',
      kind: '整改任务',
      kindTitle: '整改任务',
      status: 'open',
      statusZh: '办理中',
      owner: '李四',
      // The end of 30 June 2024 in Shanghai.
      dueAt: shanghai('2024-07-01T00:00:00'),
      target: 100,
      level: '县级',
      failedChecks: 0,
      openedAt: shanghai('2024-03-01T09:00:00'),
    });
    await h.engine.send('c/甲县', { type: 'item.progress', item: '河道垃圾', done: 40 });
    expect((await item(h))?.done).toBe(40);
    await h.engine.send('c/甲县', { type: 'item.resolved', item: '河道垃圾' });
    expect((await item(h))?.status).toBe('resolved');
    await h.engine.send('c/甲县', { type: 'item.verified', item: '河道垃圾', passed: true }, OFFICE);
    expect((await item(h))?.status).toBe('verified');
    h.clock.advanceTo(shanghai('2024-03-05T10:00:00'));
    await h.engine.send('c/甲县', { type: 'item.closed', item: '河道垃圾' }, OFFICE);
    expect(await item(h)).toMatchObject({ status: 'closed', statusZh: '已销号', level: '县级', closedAt: shanghai('2024-03-05T10:00:00') });
  });

  it('when a check fails, then the item is open again; the second failure escalates it to 市级 with an item-escalated effect, the fourth to 省级, and it never goes past 省级', async () => {
    const h = await started();
    await open(h);
    const fail = async () => {
      await h.engine.send('c/甲县', { type: 'item.resolved', item: '河道垃圾' });
      await h.engine.send('c/甲县', { type: 'item.verified', item: '河道垃圾', passed: false }, OFFICE);
    };
    await fail();
    expect(await item(h)).toMatchObject({ status: 'open', failedChecks: 1, level: '县级' });
    expect(h.effects.filter((e) => e.effect === 'item-escalated')).toEqual([]);
    await fail();
    expect(await item(h)).toMatchObject({ status: 'open', failedChecks: 2, level: '市级' });
    expect(h.effects.filter((e) => e.effect === 'item-escalated').map((e) => e.title)).toEqual(['整改任务「河道垃圾」升级为市级挂牌督办']);
    await fail();
    await fail();
    expect(await item(h)).toMatchObject({ failedChecks: 4, level: '省级' });
    await fail();
    await fail();
    expect(await item(h)).toMatchObject({ failedChecks: 6, level: '省级' });
    expect(h.effects.filter((e) => e.effect === 'item-escalated').map((e) => e.title)).toEqual([
      '整改任务「河道垃圾」升级为市级挂牌督办',
      '整改任务「河道垃圾」升级为省级挂牌督办',
    ]);
  });

  it('when an event names an unknown item, reports progress on a closed item or closes an unverified one, then it is refused with its code and nothing changes', async () => {
    const h = await started();
    await open(h);
    const before = (await h.engine.state('c/甲县')).revision;
    expect(await refused(h.engine.send('c/甲县', { type: 'item.progress', item: '不存在', done: 1 }))).toBe('ENGINE_UNKNOWN_TRACKED_ITEM');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.closed', item: '河道垃圾' }, OFFICE))).toBe('ENGINE_ITEM_STATE');
    await h.engine.send('c/甲县', { type: 'item.resolved', item: '河道垃圾' });
    expect(await refused(h.engine.send('c/甲县', { type: 'item.closed', item: '河道垃圾' }, OFFICE))).toBe('ENGINE_ITEM_STATE');
    await h.engine.send('c/甲县', { type: 'item.verified', item: '河道垃圾', passed: true }, OFFICE);
    await h.engine.send('c/甲县', { type: 'item.closed', item: '河道垃圾' }, OFFICE);
    const closed = await h.engine.state('c/甲县');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.progress', item: '河道垃圾', done: 50 }))).toBe('ENGINE_ITEM_STATE');
    expect((await h.engine.state('c/甲县')).revision).toBe(closed.revision);
    expect(await item(h)).toMatchObject({ status: 'closed' });
    expect((await item(h))?.done).toBeUndefined();
    // Three events accepted after the opening (resolved, verified, closed); the four refused wrote nothing.
    expect(closed.revision).toBe(before + 3);
  });

  it('when the error is read, then it has a zh and an en message naming the item and its state', async () => {
    const h = await started();
    await open(h);
    const error = await h.engine.send('c/甲县', { type: 'item.closed', item: '河道垃圾' }, OFFICE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).messages.zh).toBe('单位 甲县 的督办事项「河道垃圾」处于「办理中」，现在不能办理「item.closed」');
    expect((error as EngineError).messages.en).toBe('Item "河道垃圾" of unit 甲县 is open; "item.closed" does not apply now');
  });

  it('when the office opens an item twice, a third of a kind limited to 2, one of an undeclared kind, or a unit (no 整改办 role) opens one, then each is refused', async () => {
    const h = await started();
    await open(h);
    expect(await refused(open(h))).toBe('ENGINE_ITEM_EXISTS');
    await open(h, '黑臭水体');
    expect(await refused(open(h, '第三项'))).toBe('ENGINE_ITEM_LIMIT');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.opened', item: '其他', kind: '重点项目' }, OFFICE))).toBe('ENGINE_UNKNOWN_ITEM');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.opened', item: '其他', kind: '整改任务' }, { actor: '张', roles: ['单位'] }))).toBe('ENGINE_FORBIDDEN');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.verified', item: '河道垃圾', passed: true }, { actor: '张', roles: ['单位'] }))).toBe('ENGINE_FORBIDDEN');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.opened', item: '其他', kind: '整改任务', due: '6月30日' }, OFFICE))).toBe('ENGINE_INVALID_PAYLOAD');
    expect((await h.engine.items('c')).map((i) => i.item)).toEqual(['河道垃圾', '黑臭水体']);
  });

  it('when an item is named like a property of every object (__proto__, constructor), then it is stored and found as its own', async () => {
    const h = await started();
    await open(h, '__proto__');
    await open(h, 'constructor');
    expect((await h.engine.items('c')).map((i) => i.item).sort()).toEqual(['__proto__', 'constructor']);
    await h.engine.send('c/甲县', { type: 'item.resolved', item: '__proto__' });
    expect((await item(h, '__proto__'))?.status).toBe('resolved');
    expect(await refused(h.engine.send('c/甲县', { type: 'item.resolved', item: 'toString' }))).toBe('ENGINE_UNKNOWN_TRACKED_ITEM');
  });
});

describe('given a unit (no 整改办 role) and an office that hold items to check (hostile input)', () => {
  const UNIT = { actor: '张', roles: ['单位'] };

  it('when the unit checks, closes or labels an item that does not exist, then ENGINE_FORBIDDEN as for one that does: the role first, so it learns nothing of which items exist', async () => {
    const h = await started();
    await open(h);
    const before = (await h.engine.state('c/甲县')).revision;
    for (const item of ['河道垃圾', '不存在']) {
      expect(await refused(h.engine.send('c/甲县', { type: 'item.verified', item, passed: true }, UNIT))).toBe('ENGINE_FORBIDDEN');
      expect(await refused(h.engine.send('c/甲县', { type: 'item.closed', item }, UNIT))).toBe('ENGINE_FORBIDDEN');
      expect(await refused(h.engine.send('c/甲县', { type: 'item.assessed', item, light: 'red' }, UNIT))).toBe('ENGINE_FORBIDDEN');
    }
    // The office, which may check, is told the item does not exist.
    expect(await refused(h.engine.send('c/甲县', { type: 'item.verified', item: '不存在', passed: true }, OFFICE))).toBe('ENGINE_UNKNOWN_TRACKED_ITEM');
    expect((await h.engine.state('c/甲县')).revision).toBe(before);
  });

  it('when an item id, kind or owner holds a right-to-left override, a zero-width space or a lone surrogate, then ENGINE_INVALID_PAYLOAD and nothing is opened, as for a unit id', async () => {
    const h = await started();
    const before = (await h.engine.state('c/甲县')).revision;
    for (const odd of ['甲\u202e乙', '甲\u200b', 'a\ud800b', '\udfff'])
      for (const event of [
        { type: 'item.opened', item: odd, kind: '整改任务' },
        { type: 'item.opened', item: '河道垃圾', kind: '整改任务', owner: odd },
      ] satisfies HostEvent[])
        expect(await refused(h.engine.send('c/甲县', event, OFFICE))).toBe('ENGINE_INVALID_PAYLOAD');
    expect(await h.engine.items('c')).toEqual([]);
    expect((await h.engine.state('c/甲县')).revision).toBe(before);
  });
});

describe('given a kind that escalates but names no levels', () => {
  it('when validated, then DSL_ITEM_ESCALATE_NO_LEVELS', () => {
    const text = ITEMS_CAMPAIGN.replace('    levels: [县级, 市级, 省级]\n', '');
    const result = validateProcessText(text, { file: 't.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DSL_ITEM_ESCALATE_NO_LEVELS']);
  });
});

/**
 * D6 (三亚 红黄绿亮牌): a project's cumulative investment against the pro-rata share of its year
 * plan, at each monthly report: at or above → green; below by no more than 50% → yellow; by more →
 * red. Plan 1,200 for 2024, so 100 a month: a report on 1 February holds January's share, 100.
 */
const PROJECTS = `
kind: campaign
id: 项目亮牌
title: 项目亮牌
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 投资办, title: 投资办, level: office }
  - { id: 业主, title: 业主单位, level: unit }
items:
  - { id: 重点项目, title: 重点项目, by: 投资办, levels: [区级, 市级], escalateAfterReds: 2 }
phases:
  - id: 推进
    title: 推进
    window: 1月1日至12月31日
    tasks:
      - { id: 年度报告, title: 年度报告, owner: 业主, due: 12月31日 }
`;

describe('given a 重点项目 with a plan of 1,200 for 2024, escalated after 2 reds in a row', () => {
  it('when monthly reports give 100, 150, 100, 150, 300, then green, yellow (25% short), red (67% short), red again (63% short) escalating to 市级, and yellow (40% short) only once progress is made up', async () => {
    const h = await engineWith(PROJECTS, { start: '2024-01-15T09:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: ORGANISATION, campaignId: 'c' });
    await h.engine.send('c/甲县', { type: 'item.opened', item: '三亚湾项目', kind: '重点项目', target: 1200 }, { actor: '王', roles: ['投资办'] });
    expect((await item(h, '三亚湾项目'))?.light).toBe('green');
    const report = async (month: string, done: number) => {
      h.clock.advanceTo(shanghai(`2024-${month}-01T09:00:00`));
      await h.engine.send('c/甲县', { type: 'item.progress', item: '三亚湾项目', done });
      const view = await item(h, '三亚湾项目');
      return [view?.light, view?.level];
    };
    expect(await report('02', 100)).toEqual(['green', '区级']);
    expect(await report('03', 150)).toEqual(['yellow', '区级']);
    expect(await report('04', 100)).toEqual(['red', '区级']);
    expect(h.effects.filter((e) => e.effect === 'item-escalated')).toEqual([]);
    expect(await report('05', 150)).toEqual(['red', '市级']);
    expect(h.effects.filter((e) => e.effect === 'item-escalated').map((e) => e.title)).toEqual(['重点项目「三亚湾项目」升级为市级挂牌督办']);
    expect(await report('06', 300)).toEqual(['yellow', '市级']);
    expect(await report('07', 600)).toEqual(['green', '市级']);
  });
});
