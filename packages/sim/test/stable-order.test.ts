import { describe, expect, it } from 'vitest';
import { sortKeys } from '../src/stable-order.js';

describe('sortKeys', () => {
  it('when keys are out of order at any depth, then every object comes back with its keys in code-point order, the input untouched', () => {
    const input = { b: 1, a: [{ z: 1, y: { d: 1, c: 2 } }, 3], 和: 0, Z: { ok: true } };
    const before = JSON.stringify(input);
    const sorted = sortKeys(input);
    expect(JSON.stringify(sorted)).toBe('{"Z":{"ok":true},"a":[{"y":{"c":2,"d":1},"z":1},3],"b":1,"和":0}');
    expect(JSON.stringify(input)).toBe(before);
  });

  it('when an object is already in order, then it is the same object, unless something inside it had to change', () => {
    const standing = { band: 'top', rank: 1, score: 90.5, subject: 'u01' };
    const ordered = { list: [standing, { rank: 2, score: 80, subject: 'u02' }], n: 2 };
    expect(sortKeys(ordered)).toBe(ordered);
    const nested = { list: [standing, { subject: 'u02', rank: 2 }], n: 2 };
    const result = sortKeys(nested) as { list: unknown[] };
    expect(result).not.toBe(nested);
    expect(result.list[0]).toBe(standing);
    expect(JSON.stringify(result.list[1])).toBe('{"rank":2,"subject":"u02"}');
    expect(JSON.stringify(nested.list[1])).toBe('{"subject":"u02","rank":2}');
  });
});
