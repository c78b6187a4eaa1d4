import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STORE_COVERAGE, TRANSACTION_COVERAGE } from '../src/testing/contract-coverage.js';

const testing = fileURLToPath(new URL('../src/testing/', import.meta.url));

/** The titles of the tests the contract suite's files register (`it('…'`), as written. */
function contractTitles(): Set<string> {
  const titles = new Set<string>();
  for (const file of readdirSync(testing).filter((name) => name.startsWith('contract-') && name.endsWith('.ts'))) {
    for (const match of readFileSync(`${testing}${file}`, 'utf8').matchAll(/\bit\(\s*'((?:[^'\\]|\\.)*)'/g)) titles.add(match[1] as string);
  }
  return titles;
}

describe('given the store contract suite', () => {
  const titles = contractTitles();

  it('when each method of Store and StoreTransaction is looked up, then it names at least one test, and each test named is one of the suite', () => {
    const coverage = [...Object.entries(STORE_COVERAGE).map(([m, t]) => [`Store.${m}`, t] as const), ...Object.entries(TRANSACTION_COVERAGE).map(([m, t]) => [`StoreTransaction.${m}`, t] as const)];
    expect(coverage.filter(([, named]) => named.length === 0).map(([method]) => method)).toEqual([]);
    expect(coverage.flatMap(([method, named]) => named.filter((title) => !titles.has(title)).map((title) => `${method}: ${title}`))).toEqual([]);
    // 18 methods of Store (transactionBatch optional) and 16 of a transaction.
    expect(coverage).toHaveLength(34);
  });
});
