import { round4 } from '../stable-order.js';

/**
 * 配对差 — the difference of one metric between a scenario and the baseline over paired runs (run
 * i of both under seed i), with its 95% paired t interval.
 */
export interface PairedDifference {
  /** How many runs had the metric in both scenarios (a rate of an item that never opened is absent). */
  readonly pairs: number;
  /** Mean of the per-run differences (scenario − baseline), 4 decimals. */
  readonly mean: number;
  /**
   * The 95% interval `mean ± t(0.975, pairs − 1) · s / √pairs` (s: the differences' sample
   * standard deviation), 4 decimals; null with fewer than 2 pairs, where no interval exists.
   */
  readonly low: number | null;
  readonly high: number | null;
  /** Whether the interval excludes 0; false without an interval. */
  readonly significant: boolean;
}

/**
 * t(0.975, ν) for ν = 1…30, from the standard table (six decimals). Beyond 30 `tQuantile975` uses
 * the Cornish–Fisher expansion, which is within 1e-5 of the table there.
 */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816,
  2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
] as const;

/** The 97.5th percentile of the standard normal distribution. */
const Z975 = 1.959963985;

/** The 97.5th percentile of Student's t with `df` degrees of freedom (a whole number from 1). */
export function tQuantile975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`degrees of freedom must be a whole number from 1, got ${df}`);
  const tabled = T975[df - 1];
  if (tabled !== undefined) return tabled;
  // Cornish–Fisher expansion of t in powers of 1/ν (Abramowitz & Stegun 26.7.5), four terms.
  const z = Z975;
  const [z3, z5, z7, z9] = [z ** 3, z ** 5, z ** 7, z ** 9];
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** The paired difference of `scenario` against `baseline`, run by run; an index where either is undefined is left out. */
export function pairedDifference(baseline: readonly (number | undefined)[], scenario: readonly (number | undefined)[]): PairedDifference {
  const d: number[] = [];
  for (let i = 0; i < Math.min(baseline.length, scenario.length); i++) {
    const [a, b] = [baseline[i], scenario[i]];
    if (a !== undefined && b !== undefined) d.push(b - a);
  }
  const n = d.length;
  if (n === 0) return { pairs: 0, mean: 0, low: null, high: null, significant: false };
  const mean = d.reduce((x, y) => x + y, 0) / n;
  if (n < 2) return { pairs: n, mean: round4(mean), low: null, high: null, significant: false };
  const variance = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1);
  const half = (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  const [low, high] = [mean - half, mean + half];
  // Decided before rounding: a difference of 0.00004 with no spread is still not 0.
  return { pairs: n, mean: round4(mean), low: round4(low), high: round4(high), significant: low > 0 || high < 0 };
}
