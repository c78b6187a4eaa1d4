import { describe, expect, it } from 'vitest';
import { costUs, handlerOverheadPct, ratioToDbos, ratioToFloor } from '../bench/lib/figures.js';

// The figures bench:http and bench:pg print against their goals (issue 20), from given throughputs,
// worked by hand.
describe('the figures of the HTTP and PostgreSQL benches', () => {
  it('when throughputs are given, then a cost is the wall time per event in µs', () => {
    // 10,000 events/s: 1e6 µs / 10,000 = 100 µs per event; 2,500/s: 400 µs.
    expect(costUs(10_000)).toBe(100);
    expect(costUs(2_500)).toBe(400);
  });

  it('when HTTP costs 260 µs against a direct send of 100 µs and an empty route of 100 µs, then ratioToFloor is 260 / 200 = 1.3', () => {
    expect(ratioToFloor(260, 100, 100)).toBeCloseTo(1.3, 12);
    // At the floor exactly: 1.
    expect(ratioToFloor(150, 100, 50)).toBe(1);
  });

  it('when the in-process handler costs 115 µs against a direct send of 100 µs, then handlerOverheadPct is 15', () => {
    expect(handlerOverheadPct(115, 100)).toBeCloseTo(15, 12);
    // From throughputs: direct 10,000/s (100 µs), handler 8,000/s (125 µs): 25 % more.
    expect(handlerOverheadPct(costUs(8_000), costUs(10_000))).toBeCloseTo(25, 12);
    // A handler as fast as a direct send adds nothing.
    expect(handlerOverheadPct(100, 100)).toBe(0);
  });

  it('when Luoshi runs 600 lifecycles/s and DBOS 200, then ratioToDbos is 3', () => {
    expect(ratioToDbos(600, 200)).toBe(3);
    expect(ratioToDbos(150, 300)).toBe(0.5);
  });
});
