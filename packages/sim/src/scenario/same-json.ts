/**
 * 相同情景 — whether two values read from scenario files are the same JSON: what `JSON.stringify`
 * would print, but with object keys in any order (a scenario written `{ seed, id }` is the one written
 * `{ id, seed }`; comparing their texts refused a scenario compared with itself as two scenarios
 * under one id). Keys whose value is undefined are absent, as in JSON; numbers are equal when they
 * print the same (NaN as null, −0 as 0).
 *
 * Walked with a stack of its own, not by recursion, and only `maxDepth` levels deep: the loader
 * bounds how deep a file nests, but a value built in code may nest deeper or hold a cycle, and such
 * values are not the same (the caller then treats them as different scenarios, which is safe).
 */
export function sameJson(a: unknown, b: unknown, maxDepth: number): boolean {
  const stack: { readonly a: unknown; readonly b: unknown; readonly depth: number }[] = [{ a, b, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { depth } = next;
    const x = jsonOf(next.a);
    const y = jsonOf(next.b);
    const xObject = x !== null && typeof x === 'object';
    const yObject = y !== null && typeof y === 'object';
    if (!xObject || !yObject) {
      if (xObject !== yObject || JSON.stringify(x) !== JSON.stringify(y)) return false;
      continue;
    }
    if (depth >= maxDepth) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      // An array's undefined prints as null, as JSON.stringify prints it.
      for (let i = 0; i < x.length; i++) stack.push({ a: x[i] ?? null, b: y[i] ?? null, depth: depth + 1 });
      continue;
    }
    const xs = x as Record<string, unknown>;
    const ys = y as Record<string, unknown>;
    const keys = presentKeys(xs);
    if (keys.length !== presentKeys(ys).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(ys, key) || ys[key] === undefined) return false;
      stack.push({ a: xs[key], b: ys[key], depth: depth + 1 });
    }
  }
  return true;
}

/** The value as JSON sees it: a `toJSON` (a Date) applied; anything else as it is. */
function jsonOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON: () => unknown }).toJSON() : value;
}

/** The own enumerable keys JSON prints: those whose value is not undefined (nor a function). */
function presentKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined && typeof record[key] !== 'function');
}
