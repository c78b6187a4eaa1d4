import { describe, expect, it } from 'vitest';
import { Agenda, createPrng, generateOrganisation, sample } from '@luoshi/sim';

describe('the seeded generator', () => {
  it('when given the same seed, then it draws the same sequence, in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createPrng(43).next()).not.toBe(xs[0]);
  });

  it('when sampling distributions, then their means come out near the given ones', () => {
    const prng = createPrng(7);
    const mean = (f: () => number) => Array.from({ length: 20_000 }, f).reduce((s, x) => s + x, 0) / 20_000;
    expect(mean(() => sample(prng, { kind: 'normal', mean: 10, sd: 3 }))).toBeCloseTo(10, 0);
    expect(mean(() => sample(prng, { kind: 'uniform', min: 2, max: 4 }))).toBeCloseTo(3, 1);
    expect(mean(() => sample(prng, { kind: 'exponential', mean: 5 }))).toBeCloseTo(5, 0);
    expect(sample(prng, { kind: 'fixed', mean: 9 })).toBe(9);
  });
});

describe('the agenda', () => {
  it('when entries are pushed in any order, then they come out earliest first, ties in insertion order', () => {
    const agenda = new Agenda<string>();
    const prng = createPrng(1);
    const times = Array.from({ length: 200 }, () => Math.floor(prng.next() * 50));
    times.forEach((t, i) => agenda.push(t, `${t}:${i}`));
    const out: string[] = [];
    for (let e = agenda.pop(); e; e = agenda.pop()) out.push(e.value);
    const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map(({ t, i }) => `${t}:${i}`);
    expect(out).toEqual(expected);
  });

  it('when entries are added while others are taken, then each taken entry is the earliest left, ties first in first out', () => {
    const agenda = new Agenda<number>();
    const prng = createPrng(7);
    const left: { at: number; seq: number }[] = [];
    let seq = 0;
    for (let step = 0; step < 2000; step++) {
      if (left.length === 0 || prng.next() < 0.55) {
        const at = Math.floor(prng.next() * 40) + step / 10;
        agenda.push(at, seq);
        left.push({ at, seq: seq++ });
        continue;
      }
      left.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const expected = left.shift();
      const got = agenda.pop();
      expect([got?.at, got?.value]).toEqual([expected?.at, expected?.seq]);
    }
    expect(agenda.size).toBe(left.length);
  });
});

describe('the generated organisation', () => {
  it('when kinds have shares, then units get them in blocks by the largest remainder', () => {
    const org = generateOrganisation({ units: 73, membersPerUnit: 2, kinds: [{ id: '窗口单位', share: 0.3 }, { id: '机关科室', share: 0.7 }] });
    const kinds = (org.units ?? []).map((u) => u.kind);
    expect(kinds.filter((k) => k === '窗口单位')).toHaveLength(22);
    expect(kinds.filter((k) => k === '机关科室')).toHaveLength(51);
    expect(org.units?.[0]).toEqual({ id: 'u01', kind: '窗口单位', members: [{ id: 'u01-m1' }, { id: 'u01-m2' }] });
  });

  it('when nested, then units are spread round-robin under the groups', () => {
    const org = generateOrganisation({ units: 5, membersPerUnit: 0, nesting: { groups: 2, kind: '镇办' } });
    expect(org.units?.map((g) => [g.id, g.kind, g.units?.map((u) => u.id)])).toEqual([
      ['g1', '镇办', ['u01', 'u03', 'u05']],
      ['g2', '镇办', ['u02', 'u04']],
    ]);
  });
});
