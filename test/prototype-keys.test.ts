import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, runUntil, VirtualClock, type Engine, type HostEvent, type Store } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

/*
 * Hostile input is normal input: names that are also names of Object.prototype (`__proto__`,
 * `constructor`, `toString`, …) given as member ids, unit ids, campaign and instance ids, task,
 * evaluation, inspection and decision names, field names, idempotency keys and actors, and as the
 * ids of a process's own phases, tasks, flags, ladders and rankings. Each gets a coded error or works
 * as a normal name: never a crash, never a silent success.
 */

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const CAMPAIGN = `
kind: campaign
id: 原型
title: 原型
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 单位, level: unit }
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
flags: [{ id: 被投诉, title: 被投诉 }]
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    tasks: [{ id: 报送, title: 报送, owner: 单位, due: 6月30日 }]
    evaluations: [{ id: 测评, title: 测评, by: 办公室, subject: unit, due: 6月20日 }]
    inspections: [{ id: 检查, title: 检查, by: 办公室, subject: unit, rectifyWithin: 10个工作日 }]
ladders:
  - { id: 投诉, title: 投诉, subject: member, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话], flags: [被投诉] }] }
`;

const stores: readonly [string, () => Promise<Store>][] = [
  ['memory', async () => createMemoryStore()],
  ['SQLite', async () => createKyselyStore({ sqlite: join(mkdtempSync(join(tmpdir(), 'luoshi-proto-')), 'proto.sqlite') })],
];

function shanghai(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}

async function deployed(store: Store, yaml: string): Promise<Engine> {
  const validation = validateProcessText(yaml, { file: 'proto.yaml' });
  if (!validation.definition) throw new Error(validation.diagnostics.map((d) => d.code).join(', '));
  const engine = createEngine({ store, clock: new VirtualClock(shanghai('2024-03-01T09:00:00')) });
  await engine.deploy([validation.definition]);
  return engine;
}

async function refusal(promise: Promise<unknown>): Promise<{ code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected a refusal, but the promise resolved');
}

describe.each(stores)('on the %s store, names of Object.prototype from outside', (_name, open) => {
  it('when units, members and the campaign are named __proto__, constructor, toString…, then they work as any other name', async () => {
    const engine = await deployed(await open(), CAMPAIGN);
    const members = PROTO_NAMES.map((id) => ({ id }));
    const organisation = { id: 'office', units: [{ id: '__proto__', members }, { id: 'constructor', members }, { id: 'toString' }] };
    for (const campaignId of ['__proto__', 'constructor']) {
      const started = await engine.startCampaign({ process: '原型', organisation, campaignId });
      expect(started.instances.map((i) => i.instanceId)).toEqual([`${campaignId}/office`, `${campaignId}/__proto__`, `${campaignId}/constructor`, `${campaignId}/toString`]);
    }
    const id = '__proto__/__proto__';
    for (const member of PROTO_NAMES) await engine.send(id, { type: 'complaint.verified', member, fields: JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string> }, { actor: 'toString', idempotencyKey: `__proto__-${member}` });
    const subjects = await engine.subjects(id);
    expect(subjects.map((s) => s.subject)).toEqual(['unit', ...PROTO_NAMES]);
    for (const s of subjects.slice(1)) expect(s).toMatchObject({ ladders: { 投诉: 1 }, flags: ['被投诉'] });
    expect((await engine.tasks(id, { member: 'constructor' })).length).toBe(0);
    expect((await engine.tasks(id)).map((t) => t.item)).toEqual(['测评', '报送']);
    const last = (await engine.history(id)).at(-1) as { event: { fields: Record<string, string> }; actor: string; idempotencyKey: string };
    expect(Object.entries(last.event.fields)).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
    expect(last).toMatchObject({ actor: 'toString', idempotencyKey: '__proto__-valueOf' });
    expect(await engine.send(id, { type: 'complaint.verified', member: 'valueOf', fields: JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string> }, { actor: 'toString', idempotencyKey: '__proto__-valueOf' })).toMatchObject({ duplicate: true });

    const rollup = await engine.rollup('__proto__', 'constructor');
    expect(rollup).toMatchObject({ campaignId: '__proto__', unitId: 'constructor', units: 1, phases: { 实施: 1 } });
    expect(Object.getPrototypeOf(rollup.phases)).toBe(Object.prototype);
    const outcomes = await engine.outcomes('constructor');
    expect(outcomes.flags).toEqual({ 被投诉: 0 });
    expect((await engine.outcomes('__proto__')).flags).toEqual({ 被投诉: 5 });
    expect((await engine.instances('constructor')).map((i) => i.unitId)).toEqual(['office', '__proto__', 'constructor', 'toString']);
    await engine.close();
  });

  it('when events, ids and look-ups name __proto__, constructor, toString… that do not exist, then each is refused with its code and nothing is written', async () => {
    const engine = await deployed(await open(), CAMPAIGN);
    await engine.startCampaign({ process: '原型', organisation: { id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }] }, campaignId: 'c' });
    const before = await engine.history('c/u01');
    for (const name of PROTO_NAMES) {
      const refused: [HostEvent, string][] = [
        [{ type: 'task.completed', task: name }, 'ENGINE_UNKNOWN_TASK'],
        [{ type: 'score.given', evaluation: name, score: 1 }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'finding.recorded', inspection: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'rectification.done', inspection: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'decision.taken', decision: name, option: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'complaint.verified', member: name }, 'ENGINE_UNKNOWN_MEMBER'],
        [{ type: name } as unknown as HostEvent, 'ENGINE_UNKNOWN_EVENT'],
      ];
      for (const [event, code] of refused) expect(await refusal(engine.send('c/u01', event))).toMatchObject({ code });
      expect(await refusal(engine.send(`c/${name}`, { type: 'complaint.verified', member: '张三' }))).toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
      expect(await refusal(engine.send(name, { type: 'complaint.verified', member: '张三' }))).toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
      expect(await refusal(engine.state(`c/${name}`))).toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
      expect(await refusal(engine.rollup(name))).toMatchObject({ code: 'ENGINE_CAMPAIGN_NOT_FOUND' });
      expect(await refusal(engine.rollup('c', name))).toMatchObject({ code: 'ENGINE_INSTANCE_NOT_FOUND' });
      expect(await refusal(engine.standings('c', name))).toMatchObject({ code: 'ENGINE_UNKNOWN_ITEM' });
      expect(await refusal(engine.startCampaign({ process: name, organisation: { id: 'office' } }))).toMatchObject({ code: 'ENGINE_PROCESS_NOT_FOUND' });
      expect(await engine.tasks('c/u01', { member: name, keys: [name, `报送@${name}`] })).toEqual([]);
    }
    expect(await engine.history('c/u01')).toEqual(before);
    await engine.close();
  });
});

describe('organisation trees from a host', () => {
  it('when a tree is nested 5,000 deep, or its lists are no lists, then the start is refused with ENGINE_INVALID_ORGANISATION and nothing is stored', async () => {
    const engine = await deployed(createMemoryStore(), CAMPAIGN);
    let deep: Record<string, unknown> = { id: 'leaf' };
    for (let i = 0; i < 5_000; i++) deep = { id: `u${i}`, units: [deep] };
    const bad: [unknown, RegExp][] = [
      [deep, /nested more than 64 levels deep/],
      [{ id: 'office', members: '张三' }, /members of unit "office" must be a list/],
      [{ id: 'office', members: [null] }, /member id undefined of unit "office"/],
      [{ id: 'office', members: [{ id: 7 }] }, /member id 7 of unit "office"/],
      [{ id: 'office', units: { id: 'u01' } }, /units under unit "office" must be a list/],
      [{ id: 'office', units: [null] }, /unit id undefined must be/],
      [{ id: 'office', units: [{ id: 'u01', units: [{ id: 'office' }] }] }, /unit id "office" appears twice/],
      [JSON.parse('{"__proto__":{"id":"x"}}'), /unit id undefined must be/],
      ['office', /unit id undefined must be/],
    ];
    for (const [organisation, detail] of bad) {
      const error = await refusal(engine.startCampaign({ process: '原型', organisation: organisation as never, campaignId: 'c' }));
      expect(error).toMatchObject({ code: 'ENGINE_INVALID_ORGANISATION' });
      expect((error as { message: string }).message).toMatch(detail);
    }
    expect(await refusal(engine.rollup('c'))).toMatchObject({ code: 'ENGINE_CAMPAIGN_NOT_FOUND' });
    // 64 levels are a tree like any other.
    let deepest: Record<string, unknown> = { id: 'leaf' };
    for (let i = 0; i < 63; i++) deepest = { id: `u${i}`, units: [deepest] };
    expect((await engine.startCampaign({ process: '原型', organisation: deepest as never, campaignId: 'deep' })).instances).toHaveLength(64);
    expect((await engine.state('deep/leaf')).unitPath.split('/').length).toBe(66);
    await engine.close();
  });
});

/** The test campaign with each of its own ids renamed to a name of Object.prototype. */
const PROTO_CAMPAIGN = CAMPAIGN.replaceAll('实施', 'constructor')
  .replaceAll('报送', 'toString')
  .replaceAll('测评', 'valueOf')
  .replaceAll('检查', 'hasOwnProperty')
  .replaceAll('投诉', 'isPrototypeOf')
  .replaceAll('被isPrototypeOf', 'propertyIsEnumerable')
  .replace('ladders:', `rankings:
  - { id: toLocaleString, title: 排名, subject: unit, at: 11月30日, weights: { valueOf: 1 }, top: { count: 1, actions: [诫勉谈话] } }
ladders:`);

describe('a process whose task is called __proto__', () => {
  it('when validated, it is refused with a coded diagnostic, or its task opens and is done as any other', async () => {
    const yaml = CAMPAIGN.replaceAll('报送', '__proto__');
    const validation = validateProcessText(yaml, { file: 'proto.yaml' });
    if (!validation.ok) {
      for (const d of validation.diagnostics.filter((x) => x.severity === 'error')) expect(d).toMatchObject({ code: expect.stringMatching(/^DSL_/), line: expect.any(Number) });
      return;
    }
    const engine = await deployed(createMemoryStore(), yaml);
    await engine.startCampaign({ process: '原型', organisation: { id: 'office', units: [{ id: 'u01' }] }, campaignId: 'c' });
    expect((await engine.tasks('c/u01')).find((t) => t.item === '__proto__')?.status).toBe('open');
    await engine.send('c/u01', { type: 'task.completed', task: '__proto__' });
    expect((await engine.tasks('c/u01')).find((t) => t.item === '__proto__')?.status).toBe('done');
    const { items } = await engine.outcomes('c');
    expect(Object.getOwnPropertyDescriptor(items, '__proto__')?.value).toMatchObject({ done: 1, open: 0 });
    await engine.close();
  });
});

describe('a process whose own ids are names of Object.prototype', () => {
  it('when validated, it is refused with coded diagnostics, or runs a year as with any other names', async () => {
    const validation = validateProcessText(PROTO_CAMPAIGN, { file: 'proto.yaml' });
    if (!validation.ok) {
      // The validator may reserve these names: then each refusal is a coded diagnostic with a place.
      for (const d of validation.diagnostics.filter((x) => x.severity === 'error')) expect(d).toMatchObject({ code: expect.stringMatching(/^DSL_/), line: expect.any(Number) });
      return;
    }
    const engine = await deployed(createMemoryStore(), PROTO_CAMPAIGN);
    await engine.startCampaign({ process: '原型', organisation: { id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }, campaignId: 'c' });
    await engine.send('c/u01', { type: 'task.completed', task: 'toString' });
    await engine.send('c/u01', { type: 'score.given', evaluation: 'valueOf', score: 90 });
    await engine.send('c/u02', { type: 'score.given', evaluation: 'valueOf', score: 70 });
    await engine.send('c/u01', { type: 'finding.recorded', inspection: 'hasOwnProperty' });
    await engine.send('c/u01', { type: 'rectification.done', inspection: 'hasOwnProperty' });
    await engine.send('c/u01', { type: 'complaint.verified', member: '张三' });
    expect(await refusal(engine.send('c/u01', { type: 'task.completed', task: 'toString' }))).toMatchObject({ code: 'ENGINE_TASK_NOT_OPEN' });
    const [unit, member] = await engine.subjects('c/u01');
    expect(unit).toMatchObject({ scores: { valueOf: 90 } });
    expect(member).toMatchObject({ ladders: { isPrototypeOf: 1 }, flags: ['propertyIsEnumerable'] });
    // Re-inspection is on by default: the rectified finding waits for it.
    expect((await engine.state('c/u01')).inspections).toEqual({ hasOwnProperty: 'reinspecting' });
    await engine.send('c/u01', { type: 'reinspection.recorded', inspection: 'hasOwnProperty', passed: true });
    expect((await engine.state('c/u01')).inspections).toEqual({ hasOwnProperty: 'clear' });
    expect(await engine.rollup('c')).toMatchObject({ phases: { constructor: 3 } });
    expect(await engine.outcomes('c')).toMatchObject({ items: { toString: { done: 1, overdue: 0 } }, flags: { propertyIsEnumerable: 1 }, ladders: { isPrototypeOf: { '1': 1 } } });
    const clock = new VirtualClock(shanghai('2024-03-01T09:00:00'));
    const year = createEngine({ store: engine.store, clock });
    await runUntil(year, clock, shanghai('2024-12-02T00:00:00'));
    expect((await year.subjects('c/u01'))[0]?.ranks).toEqual({ toLocaleString: 1 });
    expect((await year.tasks('c/u02')).find((t) => t.item === 'toString')?.status).toBe('overdue');
    await year.close();
  });
});
