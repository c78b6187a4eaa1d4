import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../src/compiler/campaign-plan.js';
import { CachedInstance, InstanceCache } from '../src/runtime/instance-cache.js';
import type { UnitState } from '../src/runtime/step.js';

const machine = createMachine({ id: 'plain', initial: 'idle', states: { idle: {} } });
const chart = { plan: {} as CampaignPlan, machine };
const live = (id: string) =>
  new CachedInstance(chart, {
    meta: { id, campaignId: 'c', unitId: id, unitPath: id },
    snapshot: machine.resolveState({ value: 'idle', context: {} }),
    revision: 1,
    time: 0,
    phase: 'idle',
    ended: false,
    overdue: 0,
    escalated: 0,
  } as UnitState);

describe('the cache of instance states', () => {
  it('when full, drops the least recently used one first', () => {
    const cache = new InstanceCache(2);
    cache.set(live('a'));
    cache.set(live('b'));
    expect(cache.get('a')?.meta.id).toBe('a');
    cache.set(live('c'));
    expect([cache.peek('a')?.meta.id, cache.peek('b'), cache.peek('c')?.meta.id]).toEqual(['a', undefined, 'c']);
    cache.get('a');
    cache.set(live('d'));
    expect([cache.peek('a')?.meta.id, cache.peek('c'), cache.peek('d')?.meta.id]).toEqual(['a', undefined, 'd']);
    expect(cache.size).toBe(2);
  });

  it('with room to spare, keeps every one', () => {
    const cache = new InstanceCache(10);
    for (const id of ['a', 'b', 'c', 'd']) cache.set(live(id));
    cache.get('a');
    expect(['a', 'b', 'c', 'd'].map((id) => cache.peek(id)?.meta.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
