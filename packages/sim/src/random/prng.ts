/**
 * A seeded pseudo-random generator: `next()` returns a float in [0, 1). The simulator takes one of
 * these wherever it draws, so the same seed gives the same run; nothing calls `Math.random`.
 */
export interface Prng {
  next(): number;
}

/**
 * mulberry32: a 32-bit state, full period 2^32, good enough for simulation and ten lines long.
 * The seed is taken modulo 2^32.
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
