import { describe, expect, it } from 'vitest';
import { EngineError, runUntil } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { engineWith, shanghai } from './support/harness.js';
import { initialContext } from '../src/runtime/instance-context.js';
import { unitLight } from '../src/runtime/lights.js';
import { itemTimers } from '../src/runtime/item-cards.js';
import type { CampaignPlan } from '../src/compiler/campaign-plan.js';
import { minimalCampaign, office, unit } from '../../../test/support/minimal-campaign.js';

/**
 * 督办事项亮牌 (issue 19): items are subjects — a finding opens an item of the kind that names the
 * inspection (问题 from 专项督查), items are listed at the start, each card raises `item-yellow` /
 * `item-red` for the unit's rules, a condition reads `subject.light`. Dates by hand on the 2024
 * calendar: 劳动节 1–5 May off, Saturday 11 May worked (调休).
 */
const CAMPAIGN = minimalCampaign({
  id: '问题整改',
  roles: [office('督查室'), unit('单位', '各单位')],
  blocks: `
    flags:
      - { id: 红灯单位, title: 红灯单位 }
    actions:
      - { id: 提醒, title: 黄牌提醒, effect: remind }
      - { id: 约谈, title: 约谈, effect: admonish }
    lights:
      yellowBefore: 3个工作日
    items:
      - { id: 问题, title: 检查发现的问题, by: 督查室, from: 专项督查, limit: 2 }
      - { id: 项目, title: 重点项目, by: 督查室 }`,
  phases: [{ id: '整改', window: '1月1日至12月31日', body: `
    inspections:
      - { id: 专项督查, title: 专项督查, by: 督查室, rectifyWithin: 10个工作日 }` }],
  after: `
    consequences:
      - { id: 黄牌提醒, title: 黄牌提醒, on: { event: item-yellow, when: "event.kind == '问题' and event.yellowsInRow == 1" }, actions: [提醒] }
      - { id: 红灯约谈, title: 红灯单位约谈, on: { event: item-red, when: "subject.light == 'red'" }, actions: [约谈], flags: [红灯单位] }`,
});

const OFFICE = { actor: '王', roles: ['督查室'] };

async function started(organisation: object = { id: '市', units: [{ id: '甲县' }] }) {
  const h = await engineWith(CAMPAIGN, { start: '2024-04-01T09:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation as never, campaignId: 'c' });
  return h;
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof EngineError ? e.code : String(e)),
  );
}

describe('given items of kind 问题 opened by the findings of 专项督查 (rectify within 10 working days), lit 3 working days before their due day', () => {
  it('when 专项督查 records a finding on Monday 22 April, then item 专项督查-1 is due when Wednesday 8 May ends, yellow from Tuesday 30 April, red from 9 May; each card is heard for the unit', async () => {
    const h = await started();
    await runUntil(h.engine, h.clock, shanghai('2024-04-22T10:00:00'));
    await h.engine.send('c/甲县', { type: 'finding.recorded', inspection: '专项督查' }, OFFICE);
    const item = async () => (await h.engine.items('c'))[0];
    // 10 working days after the 22nd: 23, 24, 25, 26, 28 (Sunday, worked), 29, 30 April, 6, 7, 8 May (劳动节 1–5 May off).
    expect(await item()).toMatchObject({ item: '专项督查-1', kind: '问题', status: 'open', light: 'green', dueAt: shanghai('2024-05-09T00:00:00') });
    // 3 working days counted back from Wednesday 8 May: 7, 6 May, then 30 April.
    await runUntil(h.engine, h.clock, shanghai('2024-04-29T23:59:00'));
    expect((await item())?.light).toBe('green');
    await runUntil(h.engine, h.clock, shanghai('2024-04-30T00:00:00'));
    expect((await item())?.light).toBe('yellow');
    expect(h.effects.filter((e) => e.action === '提醒').map((e) => e.at)).toEqual([shanghai('2024-04-30T00:00:00')]);
    await runUntil(h.engine, h.clock, shanghai('2024-05-08T23:59:00'));
    expect((await item())?.light).toBe('yellow');
    await runUntil(h.engine, h.clock, shanghai('2024-05-09T00:00:00'));
    expect((await item())?.light).toBe('red');
    expect((await h.engine.state('c/甲县')).light).toBe('red');
    // subject.light reads the unit's light after the card: red, so the unit is interviewed and flagged.
    expect(h.effects.filter((e) => e.action === '约谈').map((e) => e.at)).toEqual([shanghai('2024-05-09T00:00:00')]);
    expect((await h.engine.subjects('c/甲县'))[0]?.flags).toEqual(['红灯单位']);
  });

  it('when a third finding comes to a unit holding two 问题 (limit 2), then the finding stands and no item is opened', async () => {
    const h = await started();
    for (let i = 0; i < 3; i++) await h.engine.send('c/甲县', { type: 'finding.recorded', inspection: '专项督查' }, OFFICE);
    expect((await h.engine.items('c')).map((i) => i.item)).toEqual(['专项督查-1', '专项督查-2']);
  });

  it('when items are listed in the organisation, then each unit holds them from the start; a list naming an undeclared kind or the same id twice is refused with nothing started', async () => {
    const h = await started({ id: '市', units: [{ id: '甲县', items: [{ id: '凤凰岛', kind: '项目', owner: '某集团', due: '2024-06-28', target: 1200 }] }, { id: '乙县' }] });
    expect(await h.engine.items('c')).toEqual([
      expect.objectContaining({ unitId: '甲县', item: '凤凰岛', kind: '项目', owner: '某集团', target: 1200, dueAt: shanghai('2024-06-29T00:00:00'), openedAt: shanghai('2024-04-01T09:00:00'), light: 'green' }),
    ]);
    const bad = await engineWith(CAMPAIGN, { start: '2024-04-01T09:00:00' });
    const start = (items: object[]) => bad.engine.startCampaign({ process: bad.processId, organisation: { id: '市', units: [{ id: '甲县', items }] } as never, campaignId: 'd' });
    expect(await code(start([{ id: 'a', kind: '无此类' }]))).toBe('ENGINE_UNKNOWN_ITEM');
    expect(await code(start([{ id: 'a', kind: '项目' }, { id: 'a', kind: '项目' }]))).toBe('ENGINE_ITEM_EXISTS');
    expect(await code(start([{ id: 'a', kind: '项目', target: -1 }]))).toBe('ENGINE_INVALID_PAYLOAD');
    expect(await bad.engine.items('d').catch(() => 'no campaign')).toBe('no campaign');
  });

  it('when an instance was started before items were lit (no itemLights in its start), then its items have no due-day timers and its unit light is its tasks’ only', () => {
    const validation = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
    expect(validation.ok).toBe(true);
    const plan = { lights: { yellowBefore: { kind: 'working-days', n: 3 } }, trackedKinds: new Map() } as unknown as CampaignPlan;
    const base = { campaignId: 'c', unit: '甲县', office: false, unitWork: true, members: [], startedAt: 0, items: [{ id: 'x', kind: '问题', due: 1 }] };
    const old = { ...initialContext(base), tracked: { x: { k: '问题', s: 'open' as const, at: 0, due: 1, dl: 'r' as const } } };
    expect(itemTimers(plan, 'c/甲县', old)).toEqual([]);
    expect(unitLight(plan, old)).toBe('green');
    expect(unitLight(plan, { ...old, itemLights: true })).toBe('red');
  });
});

describe('given a consequence for members on an item event', () => {
  it('when the file is validated, then DSL_ITEM_EVENT_MEMBER: an item is its unit’s, so the rule would never apply', () => {
    const text = CAMPAIGN.replace("on: { event: item-red, when: \"subject.light == 'red'\" }, actions: [约谈], flags: [红灯单位] }", "subject: member, on: { event: item-red }, actions: [约谈] }");
    const result = validateProcessText(text, { file: 'c.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DSL_ITEM_EVENT_MEMBER']);
  });

  it('when a condition compares subject.light with a colour the engine never shows, then DSL_EXPRESSION_UNKNOWN_VALUE', () => {
    const result = validateProcessText(CAMPAIGN.replace("subject.light == 'red'", "subject.light == 'purple'"), { file: 'c.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DSL_EXPRESSION_UNKNOWN_VALUE']);
  });

  it('when a condition compares event.kind with an item kind the campaign does not declare, then DSL_EXPRESSION_UNKNOWN_VALUE listing its kinds', () => {
    const result = validateProcessText(CAMPAIGN.replace("event.kind == '问题'", "event.kind == '问提'"), { file: 'c.yaml' });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['DSL_EXPRESSION_UNKNOWN_VALUE']);
    expect(errors[0]?.message.en).toContain('问题, 项目');
  });
});
