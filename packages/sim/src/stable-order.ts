import { setOwn } from './own-keys.js';

/** Rounds to four decimals, so results read the same on every machine. */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Code-point order, independent of the locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The value with every object's keys in code-point order, so serialisation is stable. An object
 * whose keys are already in order and whose values need no change is returned as it is: a large
 * organisation's result holds tens of thousands of standings, built in order, and copying each one
 * again was a good part of making the result.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const sorted = sortKeys(value[i]);
      if (sorted !== value[i]) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = cmp(keys[i - 1] as string, keys[i] as string) < 0;
  if (inOrder) {
    let copy: Record<string, unknown> | undefined;
    for (const key of keys) {
      const sorted = sortKeys(record[key]);
      if (sorted !== record[key]) setOwn((copy ??= { ...record }), key, sorted);
    }
    return copy ?? value;
  }
  return Object.fromEntries(keys.sort(cmp).map((k) => [k, sortKeys(record[k])]));
}
