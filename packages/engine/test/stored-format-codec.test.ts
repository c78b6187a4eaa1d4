import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, VirtualClock, type InstanceRecord, type Store } from '@luoshi/engine';
import { decodeSnapshot, encodeSnapshot, FORMAT_VERSION } from '../src/runtime/stored-format.js';
import type { InstanceContext } from '../src/runtime/instance-context.js';
import { organisation, shanghai } from './support/harness.js';

const CAMPAIGN = `
kind: campaign
id: 格式
title: 格式
source: { title: 测试 }
year: 2024
subjects: [unit]
roles: [{ id: 单位, title: 单位, level: unit }]
phases:
  - id: 实施
    title: 实施
    window: 1月至6月
    tasks:
      - { id: 报送, title: 报送, owner: 单位, due: 3月31日 }
`;

const context = { campaignId: 'c', unit: 'u' } as unknown as InstanceContext;

describe('the stored format (存储格式)', () => {
  it('when a snapshot is encoded, then it carries the format version, and decodes to its value and records', () => {
    const stored = encodeSnapshot({ 实施: 'working' }, context);
    expect(stored).toEqual({ formatVersion: 2, value: { 实施: 'working' }, context });
    expect(FORMAT_VERSION).toBe(2);
    expect(decodeSnapshot('c/u', stored)).toEqual({ formatVersion: 2, value: { 实施: 'working' }, context });
  });

  it('when a snapshot of release 7967bde (XState’s persisted form, children included) is decoded, then its value and records are taken and the children dropped', () => {
    const old = { status: 'active', value: { 组织实施: { 五评考评: 'running' } }, historyValue: {}, context, children: { 五评: { snapshot: {}, src: '五评' } } };
    expect(decodeSnapshot('c/u', old)).toEqual({ value: { 组织实施: { 五评考评: 'running' } }, context });
  });

  it.each([
    ['a later version', { formatVersion: 3, value: 'x', context }, '3'],
    ['a version that is text', { formatVersion: '2', value: 'x', context }, '2'],
    ['no version and not the 7967bde shape', { value: 'x' }, '1'],
    ['a version named through the prototype', JSON.parse('{"__proto__": {"formatVersion": 2}, "value": "x"}') as Record<string, unknown>, '1'],
  ])('when a snapshot has %s, then it is refused with STORE_UNSUPPORTED_FORMAT naming the instance', (_, data, version) => {
    expect(() => decodeSnapshot('c/u', data)).toThrow(expect.objectContaining({ code: 'STORE_UNSUPPORTED_FORMAT', details: expect.objectContaining({ id: 'c/u', version }) }));
  });

  it('when a stored instance has a format this release does not know, then an event and a state query are refused with STORE_UNSUPPORTED_FORMAT and nothing is written', async () => {
    const inner = createMemoryStore();
    // The store hands back the instance as a later release would have written it.
    const store: Store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'getInstance') return async (id: string) => later(await target.getInstance(id));
        if (prop === 'transaction')
          return <T>(fn: Parameters<Store['transaction']>[0]) =>
            target.transaction((tx) => fn(new Proxy(tx, { get: (t, p) => (p === 'getInstance' ? async (id: string) => later(await t.getInstance(id)) : (Reflect.get(t, p) as (...a: unknown[]) => unknown).bind(t)) })) as Promise<T>);
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const v = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
    if (!v.definition) throw new Error('invalid test campaign');
    const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
    const setup = createEngine({ store: inner, clock });
    await setup.deploy([v.definition]);
    await setup.startCampaign({ process: '格式', organisation: organisation(1, 0), campaignId: 'c' });
    const id = (await setup.instances('c'))[1]?.instanceId as string;
    const before = await inner.history(id);

    const engine = createEngine({ store, clock });
    await expect(engine.send(id, { type: 'task.completed', task: '报送' })).rejects.toMatchObject({ code: 'STORE_UNSUPPORTED_FORMAT' });
    await expect(engine.state(id)).rejects.toMatchObject({ code: 'STORE_UNSUPPORTED_FORMAT' });
    expect(await inner.history(id)).toEqual(before);
    expect((await inner.getInstance(id))?.revision).toBe(1);
  });
});

function later(record: InstanceRecord | undefined): InstanceRecord | undefined {
  return record && { ...record, snapshot: { ...record.snapshot, formatVersion: 3 } };
}
