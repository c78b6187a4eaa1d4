import type { Spread } from './monte-carlo-result.js';
import { round4 } from './stable-order.js';

/** Mean and nearest-rank percentiles: p5 and p95 are always values some run produced. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, p5: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean: round4(mean), p5: rank(0.05), p95: rank(0.95) };
}
