import { describe, expect, it } from 'vitest';
import type { Effect } from '../src/ports/effects-sink.js';
import type { OutboxRecord } from '../src/ports/store.js';
import { effectOf, lazyOutboxRecord } from '../src/runtime/lazy-outbox-record.js';
import { createMemoryStore } from '../src/stores/memory-store.js';

const effect = (id: string): Effect => ({
  id,
  campaignId: 'c',
  instanceId: 'c/u1',
  unitId: 'u1',
  memberId: 'u1-m2',
  action: '诫勉谈话',
  effect: 'admonish',
  title: '诫勉谈话',
  cause: 'ladder:举报投诉查实:1',
  at: 1_000,
});

describe('given an outbox record the engine made', () => {
  it('when a store reads its JSON, then it is the effect; when the engine delivers it, then the sink gets the effect itself, frozen', () => {
    const made = effect('c/u1:2:0');
    const record = lazyOutboxRecord(made, 1_000);
    expect(record).toMatchObject({ id: 'c/u1:2:0', instanceId: 'c/u1', createdAt: 1_000 });
    expect(JSON.parse(record.effect)).toStrictEqual(made);
    expect(effectOf(record)).toBe(made);
    expect(Object.isFrozen(effectOf(record))).toBe(true);
    // A record read back from a SQL store is plain text: parsed.
    const stored: OutboxRecord = { id: record.id, instanceId: record.instanceId, effect: record.effect, createdAt: record.createdAt };
    expect(effectOf(stored)).toStrictEqual(made);
  });

  it('when a memory store commits it, then the store keeps the frozen record and never makes its JSON; a record not frozen is copied', async () => {
    let reads = 0;
    const counted = (id: string, frozen: boolean): OutboxRecord => {
      const record = {
        id,
        instanceId: 'c/u1',
        createdAt: 1_000,
        get effect() {
          reads++;
          return JSON.stringify(effect(id));
        },
      };
      return frozen ? Object.freeze(record) : record;
    };
    const store = createMemoryStore();
    const frozen = counted('a', true);
    await store.transaction((tx) => tx.addOutbox([frozen]));
    expect(reads).toBe(0);
    expect((await store.pendingOutbox(10))[0]).toBe(frozen);
    await store.transaction((tx) => tx.addOutbox([counted('b', false)]));
    expect(reads).toBe(1);
    expect((await store.pendingOutbox(10)).map((r) => r.id)).toEqual(['a', 'b']);
  });
});
