import { afterEach, beforeEach, describe } from 'vitest';
import type { Store, StoreTransaction } from '../ports/store.js';
import type { ContractSuite } from './contract-fixtures.js';
import { definitionsContract } from './contract-definitions.js';
import { historyContract } from './contract-history.js';
import { instancesContract } from './contract-instances.js';
import { outboxContract } from './contract-outbox.js';
import { timersContract } from './contract-timers.js';
import { transactionsContract } from './contract-transactions.js';

export { instance } from './contract-fixtures.js';

/** Options of the store contract suite. */
export interface StoreContractOptions {
  /** Fail, instead of skipping the group-commit tests, when the store has no `transactionBatch`. */
  readonly requireTransactionBatch?: boolean;
  /** How many writers race in the concurrency tests (8 unless given). */
  readonly writers?: number;
}

/**
 * Registers the contract every `Store` must honour (存储契约) as a vitest suite named `name`. `open`
 * is called before each test and must return an empty store; the suite closes it after the test.
 * Its parts, one file per concern: contract-definitions, contract-instances, contract-history,
 * contract-timers, contract-outbox, contract-transactions (docs/stores.md lists what each checks).
 */
export function describeStoreContract(name: string, open: () => Promise<Store>, options: StoreContractOptions = {}): void {
  describe(`${name} store contract`, () => {
    let current: Store | undefined;

    beforeEach(async () => {
      current = await open();
    });

    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    const suite: ContractSuite = {
      name,
      options,
      writers: options.writers ?? 8,
      get store(): Store {
        if (current === undefined) throw new Error('The store contract has no open store outside a test');
        return current;
      },
      write: <T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> => suite.store.transaction(fn),
    };

    definitionsContract(suite);
    instancesContract(suite);
    historyContract(suite);
    timersContract(suite);
    outboxContract(suite);
    transactionsContract(suite);
  });
}
