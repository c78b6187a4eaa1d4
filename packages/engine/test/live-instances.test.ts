import { createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { LiveInstance, LiveInstances } from '../src/runtime/live-instance.js';

const machine = createMachine({ id: 'plain', initial: 'idle', states: { idle: {} } });
const live = (id: string) => new LiveInstance(machine, { id, campaignId: 'c', unitId: id, unitPath: id }, { revision: 1, phase: 'idle', ended: false }, { input: {} });

describe('the live instances cache', () => {
  it('when full, drops the least recently used one first', () => {
    const cache = new LiveInstances(2);
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
    const cache = new LiveInstances(10);
    for (const id of ['a', 'b', 'c', 'd']) cache.set(live(id));
    cache.get('a');
    expect(['a', 'b', 'c', 'd'].map((id) => cache.peek(id)?.meta.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
