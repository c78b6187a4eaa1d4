import type { Store, TimerRecord } from '@luoshi/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A store with the (proposed, optional) `claimDueTimers` capability. */
export type ClaimingStore = Store & { claimDueTimers(until: number, limit: number): Promise<TimerRecord[]> };

const timer = (instanceId: string, key: string, dueAt: number): TimerRecord => ({ instanceId, key, dueAt });

const id = (t: TimerRecord): string => `${t.instanceId}/${t.key}@${t.dueAt}`;

/**
 * The contract of `claimDueTimers(until, limit)`, meant to join the store contract suite once the
 * port has the method. `open` returns two stores on one empty database (two connections, pools or
 * processes' worth); the suite closes both after each test.
 */
export function describeClaimDueTimersContract(name: string, open: () => Promise<readonly [ClaimingStore, ClaimingStore]>): void {
  describe(`${name} claimDueTimers contract`, () => {
    let stores: readonly [ClaimingStore, ClaimingStore];

    beforeEach(async () => {
      stores = await open();
    });

    afterEach(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });

    it('when timers are due, then up to limit of them are deleted and returned, earliest first, and the rest stay', async () => {
      const [store] = stores;
      await store.transaction(async (tx) => {
        await tx.replaceTimers('i2', [timer('i2', 'b', 10), timer('i2', 'a', 10), timer('i2', 'late', 100)]);
        await tx.replaceTimers('i1', [timer('i1', 'z', 10), timer('i1', 'first', 5)]);
      });
      expect(await store.claimDueTimers(50, 0)).toEqual([]);
      expect(await store.claimDueTimers(50, -1)).toEqual([]);
      expect(await store.claimDueTimers(50, 3)).toEqual([timer('i1', 'first', 5), timer('i1', 'z', 10), timer('i2', 'a', 10)]);
      expect(await store.claimDueTimers(50, 3)).toEqual([timer('i2', 'b', 10)]);
      expect(await store.claimDueTimers(50, 3)).toEqual([]);
      expect(await store.nextTimer()).toEqual(timer('i2', 'late', 100));
      expect(await store.dueTimers(1_000, 10)).toEqual([timer('i2', 'late', 100)]);
    });

    it('when a timer was moved later, then it is claimed at its new due time only', async () => {
      const [store] = stores;
      await store.transaction((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 10)]));
      await store.transaction((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 60)]));
      expect(await store.claimDueTimers(50, 10)).toEqual([]);
      expect(await store.claimDueTimers(60, 10)).toEqual([timer('i1', 'deadline', 60)]);
    });

    it('when many claimers on two stores race, then every due timer is claimed exactly once and none that is not due', async () => {
      const due: TimerRecord[] = [];
      for (let instance = 0; instance < 30; instance++) {
        for (let key = 0; key < 10; key++) due.push(timer(`i${String(instance).padStart(2, '0')}`, `k${key}`, 1_000 + ((instance * 7 + key) % 13)));
      }
      const notDue = Array.from({ length: 20 }, (_, n) => timer(`later${n}`, 'deadline', 5_000 + n));
      await stores[0].transaction(async (tx) => {
        const byInstance = new Map<string, TimerRecord[]>();
        for (const t of [...due, ...notDue]) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t]);
        for (const [instanceId, timers] of byInstance) await tx.replaceTimers(instanceId, timers);
      });
      const claimed: TimerRecord[] = [];
      const claimer = async (store: ClaimingStore): Promise<number> => {
        let calls = 0;
        for (;;) {
          const batch = await store.claimDueTimers(2_000, 7);
          calls++;
          if (batch.length === 0) return calls;
          claimed.push(...batch);
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const calls = await Promise.all(Array.from({ length: 8 }, (_, n) => claimer(stores[n % 2] as ClaimingStore)));
      expect(calls.every((count) => count >= 1)).toBe(true);
      const ids = claimed.map(id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(due.map(id).sort());
      expect((await stores[1].dueTimers(10_000, 100)).map(id).sort()).toEqual(notDue.map(id).sort());
    });
  });
}
