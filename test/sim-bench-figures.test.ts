import { describe, expect, it } from 'vitest';
import { casesPerSecond, costPerEventUs, costRatio } from '../bench/lib/sim-figures.js';

// The figures bench:sim prints (issue 21), from given times and counts, worked by hand.
describe('the simulator bench’s figures', () => {
  it('when 1,000 units over three quarters of a year take 5 s, then 150 unit-years are simulated per second', () => {
    // 1,000 × 0.75 = 750 unit-years in 5 s.
    expect(casesPerSecond(1_000, 0.75, 5)).toBe(150);
  });

  it('when 70,000 host events take 4.62 s, then one costs 66 µs', () => {
    // 4.62e6 µs / 70,000 = 66.
    expect(costPerEventUs(4.62, 70_000)).toBeCloseTo(66, 9);
  });

  it('when ten times the units take 82.6 s for ten times the events, then an event costs 118/66 ≈ 1.79 times as much', () => {
    // 82.6e6 / 700,000 = 118 µs against 66 µs.
    expect(costRatio({ seconds: 82.6, events: 700_000 }, { seconds: 4.62, events: 70_000 })).toBeCloseTo(118 / 66, 9);
    // Linear: ten times the events in ten times the time is 1.
    expect(costRatio({ seconds: 50, events: 1_000 }, { seconds: 5, events: 100 })).toBe(1);
  });
});
