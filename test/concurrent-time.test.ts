import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, type Clock, type Store, type StoreTransaction } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

/*
 * Two engine processes on one database, both on the wall clock: while one restores an instance to
 * apply a host event, the other commits a later event to it. The first event happens after that
 * commit, so it must be dated after it and applied, not refused as going back in time (seen on
 * PostgreSQL with `luoshi serve` and `luoshi send --url`, where a restore takes no lock).
 */

const CAMPAIGN = `
kind: campaign
id: 并发
title: 并发
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles: [{ id: 办公室, title: 办公室, level: office }]
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - { id: 实施, title: 实施, window: 1月至12月, tasks: [{ id: 报送, title: 报送, owner: 办公室, due: 6月30日 }] }
ladders:
  - { id: 投诉, title: 投诉, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话] }] }
`;

const ORGANISATION = { id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }] };
const T = (iso: string): number => Date.parse(`${iso}+08:00`);

/** The wall clock as a test moves it. */
class TestClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
}

/** A store whose transactions call `onRestore` when they first read an instance (the restore). */
function watchedStore(store: Store, onRestore: () => void): Store {
  const watchTx = (tx: StoreTransaction): StoreTransaction =>
    new Proxy(tx, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === 'getInstance' && typeof value === 'function')
          return (...args: unknown[]) => {
            onRestore();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'transaction' && typeof value === 'function')
        return <T>(fn: (tx: StoreTransaction) => Promise<T>) => (value as (f: typeof fn) => Promise<T>).call(target, (tx: StoreTransaction) => fn(watchTx(tx)));
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('given two engines on one SQLite database on the same wall clock', () => {
  it('when one commits a later event while the other restores the instance for its own, then the other is dated after it and applied', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'luoshi-concurrent-')), 'c.sqlite');
    const validation = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
    if (!validation.definition) throw new Error(JSON.stringify(validation.diagnostics));

    const clockA = new TestClock(T('2024-03-01T10:00:00'));
    const a = createEngine({ store: await createKyselyStore({ sqlite: file }), clock: clockA });
    await a.deploy([validation.definition]);
    await a.startCampaign({ process: '并发', organisation: ORGANISATION, campaignId: 'c' });
    await a.send('c/u01', { type: 'complaint.verified', member: '张三' }, { actor: 'a' });

    // B's request arrives at 10:05; while B restores the instance, A commits an event at 10:06,
    // and B's restore ends at 10:07 (the shared wall clock has moved on meanwhile).
    const clockB = new TestClock(T('2024-03-01T10:05:00'));
    let restores = 0;
    const b = createEngine({
      store: watchedStore(await createKyselyStore({ sqlite: file }), () => {
        if (restores++ === 0) clockB.at = T('2024-03-01T10:07:00');
      }),
      clock: clockB,
    });
    clockA.at = T('2024-03-01T10:06:00');
    await a.send('c/u01', { type: 'complaint.verified', member: '张三' }, { actor: 'a' });

    const result = await b.send('c/u01', { type: 'complaint.verified', member: '张三' }, { actor: 'b' });
    expect(result.duplicate).toBe(false);
    const history = await b.history('c/u01');
    expect(history.slice(-3).map((h) => [h.actor, new Date(h.at).toISOString()])).toEqual([
      ['a', '2024-03-01T02:00:00.000Z'],
      ['a', '2024-03-01T02:06:00.000Z'],
      ['b', '2024-03-01T02:07:00.000Z'],
    ]);
    await a.close();
    await b.close();
  });
});
