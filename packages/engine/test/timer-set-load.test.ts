import { describe, expect, it } from 'vitest';
import type { TimerRecord } from '../src/ports/store.js';
import { TimerSet } from '../src/stores/timer-set.js';

const t = (instanceId: string, key: string, dueAt: number): TimerRecord => ({ instanceId, key, dueAt });

/*
 * 计时器集 — `load` makes the timers of every instance it names exactly those given (as `replace` for
 * each), in one rebuild of the heap: a restored campaign's tens of thousands at once.
 */
describe('given a timer set holding c/u1’s and c/u2’s timers', () => {
  const make = () => {
    const set = new TimerSet();
    set.replace('c/u1', new Map([['due:a', t('c/u1', 'due:a', 50)], ['due:old', t('c/u1', 'due:old', 5)]]));
    set.replace('c/u2', new Map([['due:b', t('c/u2', 'due:b', 20)]]));
    return set;
  };

  it('when c/u1 and c/u3 are loaded, then c/u1 holds only what was loaded, c/u3 is added and c/u2 is kept', () => {
    const set = make();
    set.load([t('c/u3', 'due:c', 10), t('c/u1', 'due:a', 30), t('c/u1', 'remind:a', 40)]);
    expect([...set.of('c/u1').keys()].sort()).toEqual(['due:a', 'remind:a']);
    expect(set.of('c/u1').get('due:a')?.dueAt).toBe(30);
    expect([...set.of('c/u3').keys()]).toEqual(['due:c']);
    expect([...set.of('c/u2').keys()]).toEqual(['due:b']);
    // Every live timer in due order, the ones replaced (old at 5, a at 50) gone.
    expect(set.due(1000, 100).map((x) => `${x.instanceId} ${x.key} ${x.dueAt}`)).toEqual(['c/u3 due:c 10', 'c/u2 due:b 20', 'c/u1 due:a 30', 'c/u1 remind:a 40']);
  });

  it('when timers are loaded out of order, then they still come due in order', () => {
    const set = new TimerSet();
    set.load([t('c/u2', 'due:x', 9), t('c/u1', 'due:y', 9), t('c/u1', 'due:z', 1)]);
    expect(set.due(100, 100).map((x) => `${x.instanceId} ${x.key}`)).toEqual(['c/u1 due:z', 'c/u1 due:y', 'c/u2 due:x']);
    expect(set.next()?.dueAt).toBe(1);
  });

  it('when one is claimed after a load, then it is gone and the rest stay due', () => {
    const set = make();
    set.load([t('c/u1', 'due:a', 30)]);
    expect(set.claim(t('c/u1', 'due:a', 30))).toBe(true);
    expect(set.due(1000, 100).map((x) => x.key)).toEqual(['due:b']);
  });
});
