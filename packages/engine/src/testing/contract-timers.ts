import { describe, expect, it } from 'vitest';
import type { TimerRecord } from '../ports/store.js';
import { byKey, type ContractSuite, rejectionOf, range, timer } from './contract-fixtures.js';

/** Timers (定时器) and their claims: replace, patch, due order, the claim rule. */
export function timersContract(suite: ContractSuite): void {
  const { write, writers } = suite;

  describe('given timers', () => {
    it('when a campaign is put on a rehearsal clock, then its timers are listed only for it, the wall clock’s only for the rest, and taking it off puts them back', async () => {
      // Campaign "zf" (units zf/u1, zf/u2 and its own ranking timer "zf"), campaign "zfx" (a prefix of
      // no other campaign: "zf" must not catch "zfx/u1"), and "lv" on the wall clock.
      await write(async (tx) => {
        await tx.replaceTimers('zf/u1', [timer('zf/u1', 'd', 10)]);
        await tx.replaceTimers('zf/u2', [timer('zf/u2', 'd', 30)]);
        await tx.replaceTimers('zf', [timer('zf', 'ranking:r', 20)]);
        await tx.replaceTimers('zfx/u1', [timer('zfx/u1', 'd', 15)]);
        await tx.replaceTimers('lv/u1', [timer('lv/u1', 'd', 25)]);
      });
      expect(await suite.store.campaignClocks()).toEqual(new Map());
      await suite.store.setCampaignClock('zf', 5);
      await suite.store.setCampaignClock('zf', 8);
      expect(await suite.store.campaignClocks()).toEqual(new Map([['zf', 8]]));
      expect(await suite.store.dueTimers(100, 10)).toEqual([timer('zfx/u1', 'd', 15), timer('lv/u1', 'd', 25)]);
      expect(await suite.store.nextTimer()).toEqual(timer('zfx/u1', 'd', 15));
      expect(await suite.store.dueTimers(100, 10, 'zf')).toEqual([timer('zf/u1', 'd', 10), timer('zf', 'ranking:r', 20), timer('zf/u2', 'd', 30)]);
      expect(await suite.store.dueTimers(20, 1, 'zf')).toEqual([timer('zf/u1', 'd', 10)]);
      expect(await suite.store.nextTimer('zf')).toEqual(timer('zf/u1', 'd', 10));
      expect(await suite.store.nextTimer('zfx')).toEqual(timer('zfx/u1', 'd', 15));
      expect(await suite.store.nextTimer('none')).toBeUndefined();
      await suite.store.setCampaignClock('zf', undefined);
      expect(await suite.store.campaignClocks()).toEqual(new Map());
      expect(await suite.store.nextTimer()).toEqual(timer('zf/u1', 'd', 10));
      expect((await suite.store.dueTimers(100, 10)).length).toBe(5);
    });

    it('when timers are replaced, then new ones are inserted, changed ones moved and missing ones deleted, per instance', async () => {
      await write(async (tx) => {
        await tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'b', 200)]);
        await tx.replaceTimers('i2', [timer('i2', 'a', 100)]);
      });
      expect(byKey(await suite.store.timers('i1'))).toEqual([timer('i1', 'a', 100), timer('i1', 'b', 200)]);
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'a', 150), timer('i1', 'c', 300)]));
      expect(byKey(await suite.store.timers('i1'))).toEqual([timer('i1', 'a', 150), timer('i1', 'c', 300)]);
      expect(await suite.store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
      await write((tx) => tx.replaceTimers('i1', []));
      expect(await suite.store.timers('i1')).toEqual([]);
      expect(await suite.store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
    });

    it('when the timers of an instance are replaced again and again, moved, repeated and emptied, then it holds exactly the last set, and a timer claimed in the transaction stays gone', async () => {
      const steps: readonly (readonly [string, number])[][] = [
        [['x', 100], ['y', 200]],
        [['x', 150], ['z', 300]],
        [['x', 150], ['z', 300]],
        [['z', 300]],
        [['z', 300], ['z', 350], ['w', 50]],
        [],
        [['v', 75]],
      ];
      const as = (step: readonly (readonly [string, number])[]): TimerRecord[] => step.map(([key, dueAt]) => timer('a', key, dueAt));
      const shape = (timers: readonly TimerRecord[]): string[] => timers.map((t) => `${t.key}@${t.dueAt}`);
      // The last of a repeated key wins; each set is what the store then holds, in due order.
      const expected = [['x@100', 'y@200'], ['x@150', 'z@300'], ['x@150', 'z@300'], ['z@300'], ['w@50', 'z@350'], [], ['v@75']];
      for (const [i, step] of steps.entries()) {
        await write((tx) => tx.replaceTimers('a', as(step)));
        expect(shape(await suite.store.timers('a'))).toEqual(expected[i]);
      }
      await write(async (tx) => {
        await tx.replaceTimers('a', as([['u', 10], ['v', 75]]));
        expect(await tx.claimTimer(timer('a', 'u', 10))).toBe(true);
        await tx.replaceTimers('a', as([['v', 80]]));
      });
      expect(await suite.store.timers('a')).toEqual([timer('a', 'v', 80)]);
      expect(await suite.store.dueTimers(1000, 10)).toEqual([timer('a', 'v', 80)]);
      expect(await suite.store.nextTimer()).toEqual(timer('a', 'v', 80));
    });

    it('when timers are patched, then only the named keys change, per instance, and unknown keys are no error', async () => {
      await write(async (tx) => {
        await tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'b', 200), timer('i1', 'c', 300)]);
        await tx.replaceTimers('i2', [timer('i2', 'a', 100)]);
      });
      await write((tx) => tx.patchTimers('i1', [timer('i1', 'b', 250), timer('i1', 'd', 50)], ['c', 'never-there']));
      expect(byKey(await suite.store.timers('i1'))).toEqual([timer('i1', 'a', 100), timer('i1', 'b', 250), timer('i1', 'd', 50)]);
      expect(await suite.store.timers('i2')).toEqual([timer('i2', 'a', 100)]);
      expect(await suite.store.nextTimer()).toEqual(timer('i1', 'd', 50));
      expect(await suite.store.dueTimers(100, 10)).toEqual([timer('i1', 'd', 50), timer('i1', 'a', 100), timer('i2', 'a', 100)]);
      // A patch of an instance without timers creates them; removing every key leaves none.
      await write((tx) => tx.patchTimers('i3', [timer('i3', 'x', 10)], []));
      expect(await suite.store.nextTimer()).toEqual(timer('i3', 'x', 10));
      await write((tx) => tx.patchTimers('i3', [], ['x']));
      expect(await suite.store.timers('i3')).toEqual([]);
      expect(await suite.store.nextTimer()).toEqual(timer('i1', 'd', 50));
    });

    it('when patches, replacements and claims mix across transactions, some rolled back, then the timers are what they imply', async () => {
      // A seeded sequence checked against a plain model: the timers, the due list and the next timer after every commit or rollback.
      let seed = 7;
      const next = (n: number): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const model = new Map<string, Map<string, number>>(['p', 'q'].map((id) => [id, new Map<string, number>()]));
      const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
      const listed = (id: string, timers: ReadonlyMap<string, number>): TimerRecord[] =>
        [...timers].map(([key, dueAt]) => timer(id, key, dueAt)).sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
      for (let round = 0; round < 60; round++) {
        const draft = new Map([...model].map(([id, timers]) => [id, new Map(timers)]));
        const rollBack = next(5) === 0;
        const failure = new Error('rolled back');
        const outcome = write(async (tx) => {
          for (let op = 0; op < 3; op++) {
            const id = next(2) === 0 ? 'p' : 'q';
            const mine = draft.get(id) as Map<string, number>;
            const kind = next(6);
            if (kind < 4) {
              const put = [keys[next(5)] as string].map((key) => timer(id, key, 100 + next(50) * 10));
              const remove = next(2) === 0 ? [keys[next(5)] as string] : [];
              await tx.patchTimers(id, put, remove);
              for (const key of remove) mine.delete(key);
              for (const t of put) mine.set(t.key, t.dueAt);
            } else if (kind === 4) {
              const replaced = [keys[next(5)] as string, keys[next(5)] as string].map((key) => timer(id, key, 100 + next(50) * 10));
              await tx.replaceTimers(id, replaced);
              mine.clear();
              for (const t of replaced) mine.set(t.key, t.dueAt);
            } else {
              const all = listed('p', draft.get('p') as Map<string, number>).concat(listed('q', draft.get('q') as Map<string, number>));
              const first = all.sort((a, b) => a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : 1) || (a.key < b.key ? -1 : 1))[0];
              if (first !== undefined) {
                expect(await tx.claimTimer(first)).toBe(true);
                draft.get(first.instanceId)?.delete(first.key);
              }
            }
          }
          if (rollBack) throw failure;
        });
        if (rollBack) expect(await rejectionOf(outcome)).toBe(failure);
        else {
          await outcome;
          for (const [id, timers] of draft) model.set(id, timers);
        }
        for (const [id, timers] of model) expect(byKey(await suite.store.timers(id))).toEqual(byKey(listed(id, timers)));
        const due = listed('p', model.get('p') as Map<string, number>)
          .concat(listed('q', model.get('q') as Map<string, number>))
          .sort((a, b) => a.dueAt - b.dueAt || (a.instanceId < b.instanceId ? -1 : 1) || (a.key < b.key ? -1 : 1));
        expect(await suite.store.dueTimers(10_000, 100)).toEqual(due);
        expect(await suite.store.nextTimer()).toEqual(due[0]);
      }
    });

    it('when one key is given twice, then the last one wins', async () => {
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'a', 100), timer('i1', 'a', 250)]));
      expect(await suite.store.timers('i1')).toEqual([timer('i1', 'a', 250)]);
    });

    it('when timers are due, then dueTimers lists them by due time, instance and key, up to the limit', async () => {
      await write(async (tx) => {
        await tx.replaceTimers('i2', [timer('i2', 'x', 100)]);
        await tx.replaceTimers('i1', [timer('i1', 'y', 100), timer('i1', 'x', 100), timer('i1', 'z', 300)]);
        await tx.replaceTimers('i3', [timer('i3', 'a', 50)]);
      });
      const due = [timer('i3', 'a', 50), timer('i1', 'x', 100), timer('i1', 'y', 100), timer('i2', 'x', 100)];
      expect(await suite.store.dueTimers(100, 10)).toEqual(due);
      expect(await suite.store.dueTimers(100, 10)).toEqual(due);
      expect(await suite.store.dueTimers(100, 2)).toEqual(due.slice(0, 2));
      expect(await suite.store.dueTimers(49, 10)).toEqual([]);
      expect(await suite.store.dueTimers(1000, 10)).toEqual([...due, timer('i1', 'z', 300)]);
    });

    it('when no timer is asked for, then dueTimers returns none', async () => {
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'a', 50)]));
      expect(await suite.store.dueTimers(100, 0)).toEqual([]);
      expect(await suite.store.dueTimers(100, 1)).toEqual([timer('i1', 'a', 50)]);
    });

    it('when timers move, then nextTimer and dueTimers follow, and a timer moved back is listed once', async () => {
      expect(await suite.store.nextTimer()).toBeUndefined();
      await write(async (tx) => {
        await tx.replaceTimers('i1', [timer('i1', 'x', 100)]);
        await tx.replaceTimers('i3', [timer('i3', 'a', 50)]);
      });
      expect(await suite.store.nextTimer()).toEqual(timer('i3', 'a', 50));
      await write((tx) => tx.replaceTimers('i3', [timer('i3', 'a', 400)]));
      expect(await suite.store.nextTimer()).toEqual(timer('i1', 'x', 100));
      await write((tx) => tx.replaceTimers('i3', [timer('i3', 'a', 50)]));
      expect(await suite.store.dueTimers(1000, 10)).toEqual([timer('i3', 'a', 50), timer('i1', 'x', 100)]);
      await write((tx) => tx.claimTimer(timer('i3', 'a', 50)));
      expect(await suite.store.nextTimer()).toEqual(timer('i1', 'x', 100));
      await write((tx) => tx.replaceTimers('i1', []));
      expect(await suite.store.nextTimer()).toBeUndefined();
      expect(await suite.store.dueTimers(1000, 10)).toEqual([]);
    });

    it('when a timer is claimed, then the claim succeeds once and fails for another due time or an unknown timer', async () => {
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 100), timer('i1', 'remind', 100)]));
      expect(await write((tx) => tx.claimTimer(timer('i1', 'remind', 200)))).toBe(false);
      expect(await write((tx) => tx.claimTimer(timer('i1', 'ghost', 100)))).toBe(false);
      expect(await write((tx) => tx.claimTimer(timer('i9', 'deadline', 100)))).toBe(false);
      expect(await suite.store.timers('i1')).toHaveLength(2);
      expect(await write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))).toBe(true);
      expect(await write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))).toBe(false);
      expect(await suite.store.timers('i1')).toEqual([timer('i1', 'remind', 100)]);
      expect(await suite.store.dueTimers(100, 10)).toEqual([timer('i1', 'remind', 100)]);
    });

    it('when an instance has an earlier timer, then its later timer is refused until the earlier one is claimed', async () => {
      await write(async (tx) => {
        await tx.replaceTimers('c1/u1', [timer('c1/u1', 'b', 100), timer('c1/u1', 'a', 200), timer('c1/u1', 'c', 100)]);
        await tx.replaceTimers('c1/u2', [timer('c1/u2', 'x', 300)]);
      });
      const claim = (t: TimerRecord) => write((tx) => tx.claimTimer(t));
      expect(await claim(timer('c1/u1', 'a', 200))).toBe(false);
      expect(await claim(timer('c1/u1', 'c', 100))).toBe(false);
      // Another instance of the campaign is not held back.
      expect(await claim(timer('c1/u2', 'x', 300))).toBe(true);
      expect(await suite.store.timers('c1/u1')).toHaveLength(3);
      expect(await claim(timer('c1/u1', 'b', 100))).toBe(true);
      expect(await claim(timer('c1/u1', 'a', 200))).toBe(false);
      // Within one transaction the rule sees the transaction's own claims, and a refusal writes nothing.
      expect(
        await write(async (tx) => [await tx.claimTimer(timer('c1/u1', 'a', 200)), await tx.claimTimer(timer('c1/u1', 'c', 100)), await tx.claimTimer(timer('c1/u1', 'a', 200))]),
      ).toEqual([false, true, true]);
      expect(await suite.store.timers('c1/u1')).toEqual([]);
    });

    it('when a campaign-wide timer is due, then it waits for its instances’ earlier timers and holds back their later ones', async () => {
      await write(async (tx) => {
        await tx.replaceTimers('c1', [timer('c1', 'ranking:q1', 150), timer('c1', 'ranking:q2', 400)]);
        await tx.replaceTimers('c1/u1', [timer('c1/u1', 'a', 100), timer('c1/u1', 'b', 200), timer('c1/u1', 'q', 400)]);
        await tx.replaceTimers('c1/u2', [timer('c1/u2', 'a', 150)]);
        // Other campaigns, including ids that share a prefix or differ only in case, are not related.
        await tx.replaceTimers('c10/u1', [timer('c10/u1', 'a', 10)]);
        await tx.replaceTimers('C1/u1', [timer('C1/u1', 'a', 10)]);
        await tx.replaceTimers('c2', [timer('c2', 'ranking:q1', 10)]);
      });
      const claim = (t: TimerRecord) => write((tx) => tx.claimTimer(t));
      expect(await claim(timer('c1', 'ranking:q1', 150))).toBe(false); // c1/u1 a@100 is earlier
      expect(await claim(timer('c1/u1', 'b', 200))).toBe(false); // a@100 and the ranking@150 are earlier
      expect(await claim(timer('c1/u1', 'a', 100))).toBe(true);
      expect(await claim(timer('c1/u1', 'b', 200))).toBe(false); // the ranking@150 is earlier
      // Equal due times order by instance id: the campaign id sorts before its instances' ids.
      expect(await claim(timer('c1/u2', 'a', 150))).toBe(false);
      expect(await claim(timer('c1', 'ranking:q1', 150))).toBe(true);
      expect(await claim(timer('c1/u2', 'a', 150))).toBe(true);
      expect(await claim(timer('c1', 'ranking:q2', 400))).toBe(false); // c1/u1 b@200 is earlier
      expect(await claim(timer('c1/u1', 'b', 200))).toBe(true);
      expect(await claim(timer('c1/u1', 'q', 400))).toBe(false); // the ranking@400 sorts first
      expect(await claim(timer('c1', 'ranking:q2', 400))).toBe(true);
      expect(await claim(timer('c1/u1', 'q', 400))).toBe(true);
      expect(await suite.store.dueTimers(1000, 10)).toEqual([timer('C1/u1', 'a', 10), timer('c10/u1', 'a', 10), timer('c2', 'ranking:q1', 10)]);
    });

    it('when two transactions claim the same timer at once, then exactly one gets it', async () => {
      await write((tx) => tx.replaceTimers('i1', [timer('i1', 'deadline', 100)]));
      const claims = await Promise.all(range(writers).map(() => write((tx) => tx.claimTimer(timer('i1', 'deadline', 100)))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await suite.store.timers('i1')).toEqual([]);
    });
  });
}
