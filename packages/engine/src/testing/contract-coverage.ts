import type { Store, StoreTransaction } from '../ports/store.js';

/*
 * Which tests of the store contract suite (存储契约) exercise each method of the Store port, by test
 * title. Typed by the port: a method added to `Store` or `StoreTransaction` fails to compile here
 * until its tests are named, and packages/engine/test/store-contract-coverage.test.ts checks that each
 * title named is a test of the suite. docs/stores.md shows the same list.
 */

const DEFINITIONS_OUT_OF_ORDER = 'when versions are deployed out of order, then each reads back and the latest is the highest version';
const DEFINITIONS_BINARY_ORDER = 'when process ids differ in case and digits, then listDefinitions orders ids in binary order and versions as numbers';
const DEFINITION_DUPLICATE = 'when the same process version is deployed twice, then STORE_DUPLICATE is thrown and the first stays';
const CAMPAIGNS_LISTED = 'when campaigns are started, then each reads back and they are listed by start time, then id';
const CAMPAIGN_DUPLICATE = 'when a campaign id is reused, then STORE_DUPLICATE is thrown';
const INSTANCE_FIELDS = 'when an instance is written, then every field reads back exactly, including long and Chinese JSON';
const INSTANCES_LISTED = 'when instances are listed, then only the campaign’s are returned, ordered by unit path';
const INSTANCE_DUPLICATE = 'when an instance id is reused, then STORE_DUPLICATE is thrown and the stored instance is unchanged';
const REVISION_MATCHES = 'when the expected revision matches, then the instance is replaced';
const REVISION_CONFLICT = 'when the stored revision differs, then StoreConflictError is thrown and nothing of the transaction is written';
const HISTORY_ORDER = 'when entries are appended out of order, then history lists them by revision, per instance';
const HISTORY_DUPLICATE = 'when a revision is appended twice, then STORE_DUPLICATE is thrown and the first entry stays';
const KEY_KNOWN = 'when an event with a key is applied, then the key is known for that instance only, also within the transaction';
const KEYED_ENTRY = 'when the entry of a key is asked for, then it reads back whole, also within the transaction, and a rolled-back one is gone';
const INSTANCE_TIME =
  'when history is appended, then an instance’s time is its latest `at`, also within the transaction, and a rolled-back entry does not count';
const CAMPAIGN_TIME = 'when campaigns have applied events, then the campaign clock is the latest time of its instances, and of every instance without an id';
const TIMERS_REPLACED = 'when timers are replaced, then new ones are inserted, changed ones moved and missing ones deleted, per instance';
const TIMERS_AGAIN = 'when the timers of an instance are replaced again and again, moved, repeated and emptied, then it holds exactly the last set, and a timer claimed in the transaction stays gone';
const TIMERS_PATCHED = 'when timers are patched, then only the named keys change, per instance, and unknown keys are no error';
const TIMERS_MIXED = 'when patches, replacements and claims mix across transactions, some rolled back, then the timers are what they imply';
const TIMERS_DUE = 'when timers are due, then dueTimers lists them by due time, instance and key, up to the limit';
const TIMERS_NONE_ASKED = 'when no timer is asked for, then dueTimers returns none';
const TIMERS_MOVE = 'when timers move, then nextTimer and dueTimers follow, and a timer moved back is listed once';
const REHEARSAL_CLOCKS = 'when a campaign is put on a rehearsal clock, then its timers are listed only for it, the wall clock’s only for the rest, and taking it off puts them back';
const CLAIM_ONCE = 'when a timer is claimed, then the claim succeeds once and fails for another due time or an unknown timer';
const CLAIM_INSTANCE_ORDER = 'when an instance has an earlier timer, then its later timer is refused until the earlier one is claimed';
const CLAIM_CAMPAIGN_ORDER = 'when a campaign-wide timer is due, then it waits for its instances’ earlier timers and holds back their later ones';
const CLAIM_RACE = 'when two transactions claim the same timer at once, then exactly one gets it';
const OUTBOX_PENDING = 'when effects are added, then pending lists them by creation time, then insertion order, up to the limit';
const OUTBOX_DELIVERED = 'when effects are marked delivered, then they leave the pending list; unknown ids are ignored';
const OUTBOX_DUPLICATE = 'when an effect id is reused, then STORE_DUPLICATE is thrown and none of that call’s effects are added';
const OUTBOX_DELIVERED_DUPLICATE = 'when an effect was delivered, then its id is still refused as a duplicate and delivery never brings it back';
const OUTBOX_NONE_ASKED = 'when no effect is asked for, then pendingOutbox returns none';
const CLOSE = 'when a transaction has committed, then close resolves, and closing again is no error';
const OWN_READS = 'when it writes, then its own later reads see the writes before it commits';
const ROLLBACK = 'when its function throws, then the error is rethrown and none of its writes remain';
const BATCH_FAILS_ALONE = 'when one function of a batch fails, then it alone rolls back and the others commit together';
const BATCH_HIDES_FAILED = 'when a function of a batch fails after writing, then the functions after it see none of its writes';
const BATCH_EMPTY = 'when a batch is empty, then it commits nothing and returns no outcomes';

/** Each method of `Store` → the titles of the contract tests that call it and check its answer. */
export const STORE_COVERAGE: { readonly [K in keyof Store]-?: readonly string[] } = {
  transaction: [OWN_READS, ROLLBACK, REVISION_CONFLICT],
  transactionBatch: [BATCH_FAILS_ALONE, BATCH_HIDES_FAILED, BATCH_EMPTY],
  getInstance: [INSTANCE_FIELDS, INSTANCE_DUPLICATE],
  listInstances: [INSTANCES_LISTED, ROLLBACK],
  getCampaign: [CAMPAIGNS_LISTED, CAMPAIGN_DUPLICATE],
  listCampaigns: [CAMPAIGNS_LISTED, ROLLBACK],
  getDefinition: [DEFINITIONS_OUT_OF_ORDER, DEFINITIONS_BINARY_ORDER, DEFINITION_DUPLICATE],
  listDefinitions: [DEFINITIONS_OUT_OF_ORDER, DEFINITIONS_BINARY_ORDER],
  history: [HISTORY_ORDER, HISTORY_DUPLICATE, ROLLBACK],
  campaignTime: [CAMPAIGN_TIME],
  dueTimers: [TIMERS_DUE, TIMERS_NONE_ASKED, TIMERS_MOVE, TIMERS_MIXED, REHEARSAL_CLOCKS],
  nextTimer: [TIMERS_MOVE, TIMERS_PATCHED, TIMERS_MIXED, TIMERS_AGAIN, REHEARSAL_CLOCKS],
  campaignClocks: [REHEARSAL_CLOCKS],
  setCampaignClock: [REHEARSAL_CLOCKS],
  timers: [TIMERS_REPLACED, TIMERS_PATCHED, CLAIM_ONCE],
  pendingOutbox: [OUTBOX_PENDING, OUTBOX_NONE_ASKED, OUTBOX_DELIVERED],
  markDelivered: [OUTBOX_DELIVERED, OUTBOX_DELIVERED_DUPLICATE],
  close: [CLOSE],
};

/** Each method of `StoreTransaction` → the titles of the contract tests that check it. */
export const TRANSACTION_COVERAGE: { readonly [K in keyof StoreTransaction]-?: readonly string[] } = {
  getDefinition: [DEFINITIONS_OUT_OF_ORDER, OWN_READS],
  insertDefinition: [DEFINITIONS_OUT_OF_ORDER, DEFINITION_DUPLICATE],
  getCampaign: [CAMPAIGNS_LISTED, OWN_READS],
  insertCampaign: [CAMPAIGNS_LISTED, CAMPAIGN_DUPLICATE],
  getInstance: [OWN_READS],
  listInstances: [OWN_READS],
  insertInstance: [INSTANCE_FIELDS, INSTANCE_DUPLICATE],
  updateInstance: [REVISION_MATCHES, REVISION_CONFLICT],
  appendHistory: [HISTORY_ORDER, HISTORY_DUPLICATE],
  hasIdempotencyKey: [KEY_KNOWN],
  idempotentEntry: [KEYED_ENTRY],
  instanceTime: [INSTANCE_TIME],
  replaceTimers: [TIMERS_REPLACED, TIMERS_AGAIN],
  patchTimers: [TIMERS_PATCHED, TIMERS_MIXED],
  claimTimer: [CLAIM_ONCE, CLAIM_INSTANCE_ORDER, CLAIM_CAMPAIGN_ORDER, CLAIM_RACE],
  addOutbox: [OUTBOX_PENDING, OUTBOX_DUPLICATE],
};
