import type { CampaignRecord, DefinitionRecord, HistoryRecord, InstanceRecord, OutboxRecord, Store, StoreTransaction, TimerRecord } from '../ports/store.js';
import type { StoreContractOptions } from './store-contract.js';

/*
 * What every part of the store contract suite (存储契约) shares: the suite's running store and
 * options, and the records the tests write (a process of 机关作风建设, a campaign over 市民政局).
 */

/** The suite a part of the contract registers its tests in: the store of the running test, opened before each test. */
export interface ContractSuite {
  readonly name: string;
  readonly options: StoreContractOptions;
  /** How many writers race in the concurrency tests. */
  readonly writers: number;
  /** The store of the running test (a fresh, empty one per test). */
  readonly store: Store;
  /** Runs `fn` in a transaction of the running test's store. */
  write<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
}

export const definition = (processId: string, version: number, overrides: Partial<DefinitionRecord> = {}): DefinitionRecord => ({
  processId,
  version,
  hash: `sha256-${processId}-${version}`,
  body: JSON.stringify({ id: processId, version, title: '机关作风建设' }),
  deployedAt: 1_700_000_000_000 + version,
  ...overrides,
});

export const campaign = (id: string, overrides: Partial<CampaignRecord> = {}): CampaignRecord => ({
  id,
  processId: 'p-002',
  version: 1,
  year: 2010,
  organisation: JSON.stringify({ id: 'root', title: '市民政局', children: [] }),
  startedAt: 1_262_275_200_000,
  ...overrides,
});

/** An instance record of campaign `c1` for store tests (the contract's own), with `overrides` on top. */
export const instance = (id: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id,
  campaignId: 'c1',
  unitId: `unit-${id}`,
  unitPath: `/root/${id}/`,
  phase: 'mobilise',
  overdue: 0,
  escalated: 0,
  ended: false,
  snapshot: { status: 'active', value: { 动员部署: 'open' }, context: { id } },
  revision: 1,
  ...overrides,
});

export const entry = (instanceId: string, revision: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord => ({
  instanceId,
  revision,
  type: 'task.done',
  event: JSON.stringify({ type: 'task.done', task: 'report', at: 1000 + revision }),
  actor: 'clerk-1',
  cause: 'host',
  at: 1_262_275_200_000 + revision,
  state: JSON.stringify({ 组织实施: 'open' }),
  idempotencyKey: null,
  ...overrides,
});

export const timer = (instanceId: string, key: string, dueAt: number): TimerRecord => ({ instanceId, key, dueAt });

export const effect = (id: string, createdAt: number, instanceId = 'i1'): OutboxRecord => ({
  id,
  instanceId,
  effect: JSON.stringify({ kind: 'notify', to: 'office', text: `提醒 ${id}` }),
  createdAt,
});

export const byKey = (timers: readonly TimerRecord[]): TimerRecord[] =>
  [...timers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

export const ids = (records: readonly { readonly id: string }[]): string[] => records.map((record) => record.id);

export const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}
