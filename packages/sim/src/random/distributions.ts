import type { Distribution } from '../model/scenario.js';
import type { Prng } from './prng.js';

/** Draws one value of a (validated) distribution. */
export function sample(prng: Prng, distribution: Distribution): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.mean ?? 0;
    case 'uniform': {
      const min = distribution.min ?? 0;
      const max = distribution.max ?? min;
      return min + (max - min) * prng.next();
    }
    case 'exponential':
      return exponential(prng, distribution.mean ?? 0);
    case 'normal':
      return (distribution.mean ?? 0) + (distribution.sd ?? 0) * standardNormal(prng);
  }
}

/** An exponential draw with the given mean (the waiting time of a Poisson process). */
export function exponential(prng: Prng, mean: number): number {
  return -Math.log(1 - prng.next()) * mean;
}

/** A standard normal draw (Box–Muller, one of the pair). */
export function standardNormal(prng: Prng): number {
  const u = 1 - prng.next();
  const v = prng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
